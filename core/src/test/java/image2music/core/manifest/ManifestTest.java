package image2music.core.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestTest {

    @TempDir Path root;

    private static MediaRecord record(int i) {
        String sha = MediaLayout.sha256Hex(("file " + i).getBytes(StandardCharsets.UTF_8));
        return MediaRecord.builder(
                        MediaLayout.relativePath("lo fi", sha, "mp3"),
                        List.of("lo fi", "calm"),
                        sha,
                        1000 + i,
                        MediaRecord.YOUTUBE)
                .videoId("vid" + i)
                .durationS(12.5)
                .fetchedAt(Instant.parse("2025-03-01T10:15:30Z"))
                .build();
    }

    @Test
    void writesSnakeCaseAndOmitsAbsentFields() {
        String sha = "ab".repeat(32);
        MediaRecord r =
                MediaRecord.builder("calm/abababababababab.jpg", List.of("calm"), sha, 42, "bing")
                        .sourceUrl("https://example.com/a.jpg?x=1&y=2")
                        .pageUrl("https://example.com/")
                        .width(640)
                        .height(480)
                        .phash("0123456789abcdef")
                        .fetchedAt(Instant.parse("2025-01-31T12:00:00Z"))
                        .build();
        String json = Manifest.toJson(r);
        assertEquals(
                "{\"path\":\"calm/abababababababab.jpg\",\"labels\":[\"calm\"],\"sha256\":\""
                        + sha
                        + "\",\"bytes\":42,\"source\":\"bing\","
                        + "\"source_url\":\"https://example.com/a.jpg?x=1&y=2\","
                        + "\"page_url\":\"https://example.com/\",\"width\":640,\"height\":480,"
                        + "\"phash\":\"0123456789abcdef\",\"fetched_at\":\"2025-01-31T12:00:00Z\"}",
                json);
        assertEquals(r, Manifest.fromJson(json));
    }

    @Test
    void readsSnakeCaseAudioFieldsAndOffsetTimes() {
        MediaRecord r =
                Manifest.fromJson(
                        "{\"path\":\"a/0123456789abcdef.opus\",\"labels\":[\"a\"],\"sha256\":\""
                                + "0123456789abcdef".repeat(4)
                                + "\",\"bytes\":5,\"source\":\"youtube\",\"duration_s\":181.5,"
                                + "\"video_id\":\"dQw4w9WgXcQ\",\"fetched_at\":\"2025-01-31T13:00:00+01:00\","
                                + "\"some_future_field\":1}");
        assertEquals(181.5, r.durationS());
        assertEquals("dQw4w9WgXcQ", r.videoId());
        assertEquals(Instant.parse("2025-01-31T12:00:00Z"), r.fetchedAt());
        assertEquals(null, r.width());
        assertEquals(null, r.title());
    }

    @Test
    void appendsAndReadsBackInOrder() throws IOException {
        Manifest m = new Manifest(root);
        assertEquals(List.of(), m.readAll());
        for (int i = 0; i < 3; i++) {
            m.append(record(i));
        }
        assertEquals(List.of(record(0), record(1), record(2)), new Manifest(root).readAll());
        List<String> lines = Files.readAllLines(root.resolve(Manifest.FILE_NAME));
        assertEquals(3, lines.size());
    }

    @Test
    void corruptLineIsAnErrorNamingFileAndLine() throws IOException {
        Manifest m = new Manifest(root);
        m.append(record(0));
        Files.writeString(m.file(), "{\"path\": oops\n", StandardOpenOption.APPEND);
        m.append(record(1));
        IOException e = assertThrows(IOException.class, m::readAll);
        assertTrue(e.getMessage().startsWith(m.file() + ":2: bad record"), e.getMessage());
    }

    @Test
    void invalidFieldIsAnErrorSayingWhich() throws IOException {
        Manifest m = new Manifest(root);
        Files.writeString(
                m.file(),
                "{\"path\":\"a/x.mp3\",\"labels\":[\"a\"],\"sha256\":\"XYZ\",\"bytes\":1}\n");
        IOException e = assertThrows(IOException.class, m::readAll);
        assertTrue(e.getMessage().contains(":1: bad record"), e.getMessage());
        assertTrue(e.getMessage().contains("sha256"), e.getMessage());
    }

    @Test
    void tornLastLineIsIgnoredThenCutBeforeTheNextAppend() throws IOException {
        Manifest m = new Manifest(root);
        m.append(record(0));
        String full = Manifest.toJson(record(1));
        Files.writeString(
                m.file(), full.substring(0, full.length() / 2), StandardOpenOption.APPEND);
        assertEquals(List.of(record(0)), m.readAll());
        m.append(record(2));
        assertEquals(List.of(record(0), record(2)), m.readAll());
    }

    @Test
    void concurrentAppendsKeepEveryLineWhole() throws Exception {
        int threads = 8;
        int perThread = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t * perThread;
                // A fresh Manifest per thread: the lock must hold across instances too.
                futures.add(
                        pool.submit(
                                () -> {
                                    Manifest m = new Manifest(root);
                                    for (int i = first; i < first + perThread; i++) {
                                        m.append(record(i));
                                    }
                                    return null;
                                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        List<MediaRecord> all = new Manifest(root).readAll();
        assertEquals(threads * perThread, all.size());
        Set<MediaRecord> distinct = new HashSet<>(all);
        for (int i = 0; i < threads * perThread; i++) {
            assertTrue(distinct.contains(record(i)), "record " + i);
        }
    }

    @Test
    void recordRejectsMissingOrMalformedRequiredFields() {
        String sha = "0".repeat(64);
        assertThrows(
                IllegalArgumentException.class,
                () -> MediaRecord.builder(null, List.of(), sha, 1, "local").build());
        assertThrows(
                IllegalArgumentException.class,
                () -> MediaRecord.builder("a/b", null, sha, 1, "local").build());
        assertThrows(
                IllegalArgumentException.class,
                () -> MediaRecord.builder("a/b", List.of("a"), "0", 1, "local").build());
        assertThrows(
                IllegalArgumentException.class,
                () -> MediaRecord.builder("a/b", List.of("a,b"), sha, 1, "local").build());
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        MediaRecord.builder("a/b", List.of("a"), sha, 1, "local")
                                .phash("xyz")
                                .build());
    }
}
