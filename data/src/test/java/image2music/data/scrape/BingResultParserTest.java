package image2music.data.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BingResultParserTest {

    private static String fixture(String name) throws IOException {
        try (InputStream in =
                BingResultParserTest.class.getResourceAsStream("/fixtures/bing/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsImagePageAndTitleFromIuscMetadataSkippingBadResults() throws IOException {
        List<ImageHit> hits =
                BingResultParser.parse(
                        fixture("results-page.html"),
                        URI.create("https://www.bing.com/images/async?q=gloomy+forest"));
        assertEquals(3, hits.size(), hits.toString());
        assertEquals(
                new ImageHit(
                        "https://images.example.org/forest%201.jpg",
                        "https://example.org/forest/gallery.html", "Misty forest at dawn & dusk"),
                hits.get(0));
        assertEquals("http://cdn.example.com/img/2.png?size=large&v=2", hits.get(1).imageUrl());
        assertNull(hits.get(1).pageUrl());
        assertNull(hits.get(1).title());
        assertEquals("https://www.bing.com/relative/page", hits.get(2).pageUrl());
    }

    @Test
    void readsPagesRenderedByTheFakeServer() {
        List<ImageHit> hits =
                List.of(
                        new ImageHit("http://h/a.jpg", "http://h/a", "A \"quoted\" <title>"),
                        new ImageHit("http://h/b.jpg", null, null));
        String html = new String(FakeWebServer.bingPage(hits, 1), StandardCharsets.UTF_8);
        assertEquals(hits, BingResultParser.parse(html, URI.create("http://h/images/async")));
    }

    @Test
    void pageWithoutResultsIsEmpty() {
        assertEquals(
                List.of(),
                BingResultParser.parse(
                        "<html><body>No results</body></html>", URI.create("http://h/")));
    }

    @Test
    void searchUrlsPageWithFirstAndCount() {
        BingSearch s =
                new BingSearch(
                        URI.create("http://127.0.0.1:1/images/async"), SafeSearch.MODERATE, 35);
        assertEquals(
                "http://127.0.0.1:1/images/async?q=bright+sunny+day&first=1&count=35&adlt=moderate",
                s.pageUri("bright sunny day", 0).toString());
        assertEquals(
                "http://127.0.0.1:1/images/async?q=a%26b&first=71&count=35&adlt=moderate",
                s.pageUri("a&b", 2).toString());
    }
}
