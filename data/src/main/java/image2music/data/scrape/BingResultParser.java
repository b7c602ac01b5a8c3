package image2music.data.scrape;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Reads image results from a Bing image search HTML page: each result is an {@code a.iusc} anchor
 * whose {@code m} attribute holds JSON metadata with {@code murl} (the image), {@code purl} (its
 * page) and {@code t} (the title). Results without a usable http(s) {@code murl}, or with malformed
 * JSON, are skipped: one bad result must not lose the page.
 */
public final class BingResultParser {

    private BingResultParser() {}

    /** The results on {@code html}, in page order; relative URLs resolve against {@code page}. */
    public static List<ImageHit> parse(String html, URI page) {
        Document doc = Jsoup.parse(html, page.toString());
        List<ImageHit> hits = new ArrayList<>();
        for (Element a : doc.select("a.iusc[m]")) {
            JsonObject m;
            try {
                JsonElement e = JsonParser.parseString(a.attr("m"));
                if (!e.isJsonObject()) {
                    continue;
                }
                m = e.getAsJsonObject();
            } catch (JsonParseException e) {
                continue;
            }
            String image = absolute(page, string(m, "murl"));
            if (image == null) {
                continue;
            }
            hits.add(new ImageHit(image, absolute(page, string(m, "purl")), string(m, "t")));
        }
        return hits;
    }

    private static String string(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonPrimitive()) {
            return null;
        }
        String s = e.getAsString().trim();
        return s.isEmpty() ? null : s;
    }

    private static String absolute(URI page, String url) {
        if (url == null) {
            return null;
        }
        try {
            URI u = page.resolve(new URI(url));
            String scheme = u.getScheme();
            if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
                return null;
            }
            return u.toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
