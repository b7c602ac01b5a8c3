package image2music.data.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.core.manifest.Manifest;
import image2music.core.manifest.MediaRecord;
import image2music.data.media.CollectListener;
import image2music.data.media.CollectSummary;
import image2music.data.media.MediaRootAssertions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioScraperTest {

    private static final Clock CLOCK =
            Clock.fixed(Instant.parse("2026-03-04T05:06:07Z"), ZoneOffset.UTC);

    @TempDir Path root;
    @TempDir Path work;

    private final Map<String, String> env = new HashMap<>();

    static Path fakeYtDlp() throws Exception {
        return Path.of(AudioScraperTest.class.getResource("/fake-yt-dlp/yt-dlp.sh").toURI());
    }

    private Path log() {
        return work.resolve("args.log");
    }

    private AudioScraper scraper(List<String> labels, int perLabel, Map<String, List<String>> urls)
            throws Exception {
        env.put("FAKE_YTDLP_LOG", log().toString());
        YtDlp ytDlp = new YtDlp(fakeYtDlp().toString(), env);
        return new AudioScraper(
                new AudioScrapeParams(labels, perLabel, " music", 9, 1, 900, false, urls),
                ytDlp,
                CLOCK);
    }

    /** The argument lists of each yt-dlp call so far. */
    private List<List<String>> calls() throws IOException {
        List<List<String>> calls = new ArrayList<>();
        if (!Files.exists(log())) {
            return calls;
        }
        for (String line : Files.readAllLines(log())) {
            if (line.equals("--- call")) {
                calls.add(new ArrayList<>());
            } else {
                calls.get(calls.size() - 1).add(line);
            }
        }
        return calls;
    }

    private static Set<String> videoIds(List<MediaRecord> records) {
        return records.stream().map(MediaRecord::videoId).collect(Collectors.toSet());
    }

    @Test
    void searchesProbesRemovesUnreadableFilesAndResumesFromTheArchive() throws Exception {
        env.put("FAKE_YTDLP_FAIL", "calm-music-2");
        env.put("FAKE_YTDLP_CORRUPT", "calm-music-3");
        env.put("FAKE_YTDLP_SHORT", "calm-music-5");
        List<String> notes = new ArrayList<>();
        CollectListener listener =
                new CollectListener() {
                    @Override
                    public void note(String message) {
                        notes.add(message);
                    }
                };
        CollectSummary s = scraper(List.of("calm"), 3, Map.of()).run(root, listener);

        CollectSummary.Counts c = s.label("calm");
        assertEquals(3, c.kept(), s.lines().toString());
        assertEquals(Map.of("unreadable", 1, "too-short", 1), c.rejected());
        assertEquals(1, c.failed());
        assertTrue(notes.stream().anyMatch(n -> n.contains("calm-music-2")), notes.toString());

        List<List<String>> calls = calls();
        assertEquals(List.of("--version"), calls.get(0));
        List<String> first = calls.get(1);
        Path archive = root.resolve(".yt-dlp/calm.archive.txt");
        assertEquals("ytsearch9:calm music", first.get(first.size() - 1));
        assertTrue(
                String.join(" ", first)
                        .contains(
                                "--format bestaudio/best --match-filter !is_live & duration >= 1"
                                        + " & duration <= 900 --download-archive "
                                        + archive
                                        + " --max-downloads 3"),
                first.toString());
        // Rounds continue, asking only for what is missing, until the label is full.
        assertEquals("1", calls.get(2).get(calls.get(2).indexOf("--max-downloads") + 1));

        List<MediaRecord> records = MediaRootAssertions.assertConsistent(root);
        assertEquals(Set.of("calm-music-1", "calm-music-4", "calm-music-6"), videoIds(records));
        MediaRecord r = records.get(0);
        assertEquals("youtube", r.source());
        assertEquals("https://www.youtube.com/watch?v=calm-music-1", r.sourceUrl());
        assertEquals("Fake video calm-music-1", r.title());
        assertEquals("calm music", r.query());
        assertEquals(2.0, r.durationS(), 1e-3);
        assertEquals(CLOCK.instant(), r.fetchedAt());
        assertTrue(r.path().matches("calm/[0-9a-f]{16}\\.wav"), r.path());
        try (Stream<Path> staged = Files.list(root.resolve(".yt-dlp/calm"))) {
            assertEquals(0, staged.count(), "downloads left in staging");
        }

        // Full: yt-dlp is not even asked.
        int before = calls().size();
        scraper(List.of("calm"), 3, Map.of()).run(root, CollectListener.NONE);
        assertEquals(before + 1, calls().size()); // only --version

        // One more: archived ids (kept, unreadable, too short) are not fetched again.
        CollectSummary more = scraper(List.of("calm"), 4, Map.of()).run(root, CollectListener.NONE);
        assertEquals(1, more.label("calm").kept());
        assertEquals(Map.of(), more.label("calm").rejected());
        assertTrue(videoIds(new Manifest(root).readAll()).contains("calm-music-7"));
        MediaRootAssertions.assertConsistent(root);
    }

    @Test
    void killedRunLeavesConsistentFilesAndResumes() throws Exception {
        env.put("FAKE_YTDLP_SLEEP", "30");
        AudioScraper slow = scraper(List.of("calm"), 3, Map.of());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread run =
                new Thread(
                        () -> {
                            try {
                                slow.run(root, CollectListener.NONE);
                                failure.set(new AssertionError("not interrupted"));
                            } catch (InterruptedException expected) {
                                // the point of the test
                            } catch (Throwable t) {
                                failure.set(t);
                            }
                        });
        run.start();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (new Manifest(root).readAll().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        run.interrupt();
        run.join(10_000);
        assertFalse(run.isAlive(), "the collector ignored the interrupt");
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals(1, MediaRootAssertions.assertConsistent(root).size());

        // What a kill can leave: a finished download yt-dlp archived but we never recorded.
        Files.write(root.resolve(".yt-dlp/calm/calm-music-2.wav"), new byte[] {1, 2, 3});
        Files.writeString(
                root.resolve(".yt-dlp/calm.archive.txt"),
                "youtube calm-music-1\nyoutube calm-music-2\n");

        env.remove("FAKE_YTDLP_SLEEP");
        CollectSummary s = scraper(List.of("calm"), 3, Map.of()).run(root, CollectListener.NONE);
        assertEquals(2, s.label("calm").kept());
        List<MediaRecord> records = MediaRootAssertions.assertConsistent(root);
        assertEquals(Set.of("calm-music-1", "calm-music-2", "calm-music-3"), videoIds(records));
    }

    @Test
    void explicitUrlsAndTheSameVideoInTwoLabels() throws Exception {
        Map<String, List<String>> urls = new HashMap<>();
        urls.put(
                "calm",
                List.of(
                        "https://www.youtube.com/watch?v=aaa",
                        "https://www.youtube.com/watch?v=bbb"));
        urls.put("storm", List.of("https://www.youtube.com/watch?v=aaa"));
        CollectSummary s =
                scraper(List.of("calm", "storm"), 1, urls).run(root, CollectListener.NONE);
        assertEquals(2, s.label("calm").kept());
        assertEquals(1, s.label("storm").kept());
        assertEquals(1, s.label("storm").crossLabel());
        List<MediaRecord> records = MediaRootAssertions.assertConsistent(root);
        assertEquals(3, records.size());
        assertEquals(null, records.get(0).query());
        List<String> call = calls().get(1);
        assertEquals(
                List.of(
                        "--",
                        "https://www.youtube.com/watch?v=aaa",
                        "https://www.youtube.com/watch?v=bbb"),
                call.subList(call.size() - 3, call.size()));
    }

    @Test
    void missingYtDlpSaysHowToInstallIt() {
        AudioScraper s =
                new AudioScraper(
                        new AudioScrapeParams(
                                List.of("calm"), 1, " music", 3, 1, 900, false, Map.of()),
                        new YtDlp(work.resolve("no-such-yt-dlp").toString(), Map.of()),
                        CLOCK);
        IOException e = assertThrows(IOException.class, () -> s.run(root, CollectListener.NONE));
        assertTrue(e.getMessage().contains("no-such-yt-dlp"), e.getMessage());
        assertTrue(e.getMessage().contains("pipx install yt-dlp"), e.getMessage());
    }
}
