package image2music.data.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.core.manifest.MediaLayout;
import image2music.core.manifest.MediaRecord;
import image2music.data.media.CollectListener;
import image2music.data.media.CollectSummary;
import image2music.data.media.ImageParams;
import image2music.data.media.MediaRootAssertions;
import image2music.data.media.TestImages;
import image2music.data.scrape.FakeWebServer.Fault;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageScraperTest {

    private static final String BRIGHT = "bright sunny";
    private static final String GLOOMY = "gloomy";

    @TempDir Path root;
    private FakeWebServer server;
    private RecordingSleeper sleeper;

    @BeforeEach
    void start() throws IOException {
        server = new FakeWebServer();
        sleeper = new RecordingSleeper();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ImageScraper scraper(List<String> labels, int perLabel, boolean acrossLabels) {
        HttpParams http =
                HttpParams.DEFAULTS.withRequestTimeout(Duration.ofMillis(1500)).withMaxRetries(3);
        HttpFetcher fetcher =
                new HttpFetcher(
                        http,
                        new RetryPolicy(http, RetryPolicyTest.CLOCK, RetryPolicyTest.constant(0)),
                        sleeper);
        ImageScrapeParams p =
                new ImageScrapeParams(
                        labels,
                        perLabel,
                        new BingSearch(server.searchEndpoint(), SafeSearch.STRICT, 4),
                        10,
                        Duration.ofMillis(250),
                        3,
                        ImageParams.DEFAULTS.withMaxPixels(4_000_000),
                        6,
                        acrossLabels,
                        false);
        return new ImageScraper(p, fetcher, sleeper, RetryPolicyTest.CLOCK);
    }

    /** Bright: every fault of the issue; gloomy: a near-duplicate and a cross-label look-alike. */
    private void serveFaultyWeb() {
        byte[] b1 = TestImages.png(1, 96, 64);
        server.image("b1.png", b1, "image/png", Fault.NONE);
        server.image("b2.jpg", TestImages.jpeg(2, 96, 64), "image/jpeg", Fault.TIMEOUT_ONCE);
        server.image(
                "page.jpg",
                "<!DOCTYPE html><html><body>Image not found</body></html>"
                        .getBytes(StandardCharsets.UTF_8),
                "text/html; charset=utf-8",
                Fault.NONE);
        server.image(
                "fake.jpg",
                "<html><body>hotlinking not allowed</body></html>".getBytes(StandardCharsets.UTF_8),
                "image/jpeg",
                Fault.NONE);
        server.image("bomb.png", TestImages.pngBomb(20000, 20000), "image/png", Fault.NONE);
        server.image("b1-copy.png", b1, "image/png", Fault.NONE);
        server.image("b3.png", TestImages.png(3, 96, 64), "image/png", Fault.ERROR_500_TWICE);
        server.image("b4.png", TestImages.png(4, 96, 64), "image/png", Fault.RATE_LIMITED_ONCE);
        server.image("b5.jpg", TestImages.jpeg(5, 96, 64), "image/jpeg", Fault.TRUNCATED_ONCE);
        server.image("dead.png", TestImages.png(6, 96, 64), "image/png", Fault.ERROR_500_ALWAYS);
        server.results(
                BRIGHT,
                server.hitsFor(
                        "b1.png",
                        "b2.jpg",
                        "page.jpg",
                        "fake.jpg",
                        "bomb.png",
                        "b1-copy.png",
                        "b3.png",
                        "b4.png",
                        "dead.png",
                        "b5.jpg",
                        "b-spare.png"));
        server.image("b-spare.png", TestImages.png(7, 96, 64), "image/png", Fault.NONE);

        BufferedImage g1 = TestImages.pattern(11, 120, 90);
        server.image("g1.png", TestImages.encode(g1, "png"), "image/png", Fault.NONE);
        server.image("g2.png", TestImages.png(12, 120, 90), "image/png", Fault.NONE);
        // g1 again, smaller and as JPEG: other bytes, same picture.
        BufferedImage g1Small = new BufferedImage(60, 45, BufferedImage.TYPE_INT_RGB);
        g1Small.createGraphics().drawImage(g1, 0, 0, 60, 45, null);
        server.image("g1-small.jpg", TestImages.encode(g1Small, "jpg"), "image/jpeg", Fault.NONE);
        // b1 as a JPEG: looks like a bright image.
        server.image(
                "b1-look.jpg",
                TestImages.encode(TestImages.pattern(1, 96, 64), "jpg"),
                "image/jpeg",
                Fault.NONE);
        server.image("g3.png", TestImages.png(13, 120, 90), "image/png", Fault.NONE);
        server.image("g4.png", TestImages.png(14, 120, 90), "image/png", Fault.NONE);
        server.results(
                GLOOMY,
                server.hitsFor(
                        "g1.png", "g2.png", "g1-small.jpg", "b1-look.jpg", "g3.png", "g4.png"));
    }

    @Test
    void keepsOnlyValidUniqueImagesDespiteFaultsAndResumesWithoutDownloading() throws Exception {
        serveFaultyWeb();
        List<String> notes = new ArrayList<>();
        CollectListener listener =
                new CollectListener() {
                    @Override
                    public void note(String message) {
                        notes.add(message);
                    }
                };
        CollectSummary s = scraper(List.of(BRIGHT, GLOOMY), 5, false).run(root, listener);

        CollectSummary.Counts bright = s.label(BRIGHT);
        assertEquals(5, bright.kept(), s.lines().toString());
        assertEquals(1, bright.duplicates());
        assertEquals(
                Map.of("content-type", 1, "undecodable", 1, "too-many-pixels", 1),
                bright.rejected());
        assertEquals(1, bright.failed());
        CollectSummary.Counts gloomy = s.label(GLOOMY);
        assertEquals(5, gloomy.kept(), s.lines().toString());
        assertEquals(1, gloomy.nearDuplicates());
        assertEquals(1, gloomy.crossLabel());
        assertTrue(notes.stream().anyMatch(n -> n.contains("b1-look.jpg")), notes.toString());

        List<MediaRecord> records = MediaRootAssertions.assertConsistent(root);
        assertEquals(10, records.size());
        assertEquals(
                Set.of("b1.png", "b2.jpg", "b3.png", "b4.png", "b5.jpg"), names(records, BRIGHT));
        assertEquals(
                Set.of("g1.png", "g2.png", "b1-look.jpg", "g3.png", "g4.png"),
                names(records, GLOOMY));
        MediaRecord first = records.get(0);
        assertEquals("bing", first.source());
        assertEquals(BRIGHT, first.query());
        assertEquals("Title b1.png", first.title());
        assertEquals(server.base().resolve("/page/b1.png").toString(), first.pageUrl());
        assertEquals(96, first.width());
        assertEquals(64, first.height());
        assertNotNull(first.phash());
        assertEquals(RetryPolicyTest.CLOCK.instant(), first.fetchedAt());
        assertTrue(first.path().startsWith("bright sunny/") && first.path().endsWith(".jpg"));

        // Backoff, Retry-After and politeness went through the sleeper: nothing really slept.
        assertTrue(sleeper.sleeps.contains(Duration.ofSeconds(7)), sleeper.sleeps.toString());
        assertTrue(sleeper.sleeps.contains(Duration.ofMillis(250)), sleeper.sleeps.toString());
        // Each image URL was downloaded until it succeeded, and never after.
        assertEquals(1, server.requests("/img/b1.png"));
        assertEquals(3, server.requests("/img/b3.png"));
        assertEquals(4, server.requests("/img/dead.png"));

        int images = server.imageRequests();
        CollectSummary again = scraper(List.of(BRIGHT, GLOOMY), 5, false).run(root, listener);
        assertEquals(0, again.total(CollectSummary.Counts::kept));
        assertEquals(images, server.imageRequests(), "the second run downloaded images");
        assertEquals(records, MediaRootAssertions.assertConsistent(root));

        // Asking for more: pages are read again but no refused or failed URL is fetched again.
        CollectSummary more = scraper(List.of(BRIGHT), 7, false).run(root, listener);
        assertEquals(1, more.label(BRIGHT).kept(), more.lines().toString());
        assertEquals(images + 1, server.imageRequests());
        assertEquals(1, server.requests("/img/b-spare.png"));
        MediaRootAssertions.assertConsistent(root);
    }

    @Test
    void resultPagesAreRetriedAndAFailingSearchEndsTheLabelCleanly() throws Exception {
        server.image("x.png", TestImages.png(300, 64, 64), "image/png", Fault.NONE);
        server.results("fog", server.hitsFor("x.png"));
        server.searchFault(Fault.ERROR_500_TWICE);
        CollectSummary s = scraper(List.of("fog"), 1, false).run(root, CollectListener.NONE);
        assertEquals(1, s.label("fog").kept());
        assertEquals(3, server.pageRequests());

        server.searchFault(Fault.ERROR_500_ALWAYS);
        List<String> notes = new ArrayList<>();
        // Every request of the run failed (no network, say): a failure, not an empty success.
        IOException e =
                assertThrows(
                        IOException.class,
                        () ->
                                scraper(List.of("rain"), 1, false)
                                        .run(
                                                root,
                                                new CollectListener() {
                                                    @Override
                                                    public void note(String message) {
                                                        notes.add(message);
                                                    }
                                                }));
        assertTrue(e.getMessage().startsWith("every search request failed"), e.getMessage());
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.get(0).startsWith("search page failed"), notes.get(0));
        MediaRootAssertions.assertConsistent(root);
    }

    @Test
    void aRunWhoseEveryImageDownloadFailedIsAFailure() throws Exception {
        server.image("gone.png", TestImages.png(301, 64, 64), "image/png", Fault.ERROR_500_ALWAYS);
        server.results("mist", server.hitsFor("gone.png"));
        IOException e =
                assertThrows(
                        IOException.class,
                        () -> scraper(List.of("mist"), 1, false).run(root, CollectListener.NONE));
        assertTrue(e.getMessage().startsWith("every image download failed"), e.getMessage());
    }

    @Test
    void dedupeAcrossLabelsDropsLookAlikesOfOtherLabels() throws Exception {
        serveFaultyWeb();
        CollectSummary s =
                scraper(List.of(BRIGHT, GLOOMY), 5, true).run(root, CollectListener.NONE);
        assertEquals(2, s.label(GLOOMY).nearDuplicates(), s.lines().toString());
        assertEquals(4, s.label(GLOOMY).kept());
        assertEquals(
                Set.of("g1.png", "g2.png", "g3.png", "g4.png"),
                names(MediaRootAssertions.assertConsistent(root), GLOOMY));
    }

    @Test
    void interruptedRunLeavesConsistentFilesAndResumes() throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String n = "a" + i + ".png";
            names.add(n);
            server.image(n, TestImages.png(100 + i, 80, 60), "image/png", Fault.NONE);
        }
        server.results("calm", server.hitsFor(names.toArray(String[]::new)));
        server.gate("a4.png");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread run =
                new Thread(
                        () -> {
                            try {
                                scraper(List.of("calm"), 8, false).run(root, CollectListener.NONE);
                                failure.set(new AssertionError("run was not interrupted"));
                            } catch (InterruptedException expected) {
                                // the point of the test
                            } catch (Throwable t) {
                                failure.set(t);
                            }
                        });
        run.start();
        assertTrue(server.awaitGate(20), "the scraper never reached a4");
        run.interrupt();
        run.join(10_000);
        assertFalse(run.isAlive(), "the scraper ignored the interrupt");
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        List<MediaRecord> partial = MediaRootAssertions.assertConsistent(root);
        assertTrue(partial.size() >= 1 && partial.size() < 8, "kept " + partial.size());

        server.openGate();
        CollectSummary s = scraper(List.of("calm"), 8, false).run(root, CollectListener.NONE);
        List<MediaRecord> all = MediaRootAssertions.assertConsistent(root);
        assertEquals(8, all.size());
        assertEquals(8 - partial.size(), s.label("calm").kept());
        for (MediaRecord r : partial) {
            String name = r.sourceUrl().substring(r.sourceUrl().lastIndexOf('/') + 1);
            assertEquals(1, server.requests("/img/" + name), name + " was downloaded again");
        }
    }

    @Test
    void killedProcessLeavesConsistentFilesAndResumes() throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String n = "p" + i + ".png";
            names.add(n);
            server.image(n, TestImages.png(400 + i, 80, 60), "image/png", Fault.NONE);
        }
        server.results("dusk", server.hitsFor(names.toArray(String[]::new)));
        server.gate("p5.png");
        Process child =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                ScraperChildProcess.class.getName(),
                                root.toString(),
                                server.searchEndpoint().toString(),
                                "dusk",
                                "7")
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
        try {
            assertTrue(server.awaitGate(60), "the child never reached p5");
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
            child.waitFor();
        }
        // Killed between renaming a file into place and writing its manifest line, the folder may
        // hold one file too many; the next run removes it (and downloads that URL again).
        List<MediaRecord> partial = MediaRootAssertions.assertKilledState(root);
        assertTrue(partial.size() >= 2 && partial.size() < 7, "kept " + partial.size());

        server.openGate();
        scraper(List.of("dusk"), 7, false).run(root, CollectListener.NONE);
        assertEquals(7, MediaRootAssertions.assertConsistent(root).size());
        for (MediaRecord r : partial) {
            String name = r.sourceUrl().substring(r.sourceUrl().lastIndexOf('/') + 1);
            assertEquals(1, server.requests("/img/" + name), name + " was downloaded again");
        }
    }

    @Test
    void resumeRepairsWhatAKilledProcessLeft() throws Exception {
        for (int i = 0; i < 4; i++) {
            server.image(
                    "k" + i + ".png", TestImages.png(200 + i, 64, 64), "image/png", Fault.NONE);
        }
        server.results("storm", server.hitsFor("k0.png", "k1.png", "k2.png", "k3.png"));
        scraper(List.of("storm"), 3, false).run(root, CollectListener.NONE);
        List<MediaRecord> before = MediaRootAssertions.assertConsistent(root);
        assertEquals(3, before.size());
        // What kill -9 can leave: a temporary file, a file renamed but not yet in the manifest,
        // and (a manifest edited by hand, or a file deleted) a line without its file.
        Path dir = root.resolve("storm");
        Files.write(dir.resolve(".0123456789abcdef.jpg.4242.part"), new byte[] {1, 2});
        Files.write(dir.resolve("0123456789abcdef.jpg"), TestImages.jpeg(9, 32, 32));
        Files.delete(MediaLayout.resolve(root, before.get(1).path()));

        List<String> notes = new ArrayList<>();
        CollectSummary s =
                scraper(List.of("storm"), 3, false)
                        .run(
                                root,
                                new CollectListener() {
                                    @Override
                                    public void note(String message) {
                                        notes.add(message);
                                    }
                                });
        assertEquals(3, notes.size(), notes.toString());
        assertEquals(1, s.label("storm").kept());
        List<MediaRecord> after = MediaRootAssertions.assertConsistent(root);
        assertEquals(3, after.size());
        assertEquals(
                before.stream().map(MediaRecord::sourceUrl).collect(Collectors.toSet()),
                after.stream().map(MediaRecord::sourceUrl).collect(Collectors.toSet()));
    }

    private static Set<String> names(List<MediaRecord> records, String label) {
        return records.stream()
                .filter(r -> r.labels().equals(List.of(label)))
                .map(r -> r.sourceUrl().substring(r.sourceUrl().lastIndexOf('/') + 1))
                .collect(Collectors.toSet());
    }
}
