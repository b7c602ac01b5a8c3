package image2music.app.web;

import static image2music.app.web.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thousand hostile or careless requests on loopback, sixteen at a time: oversize and malformed
 * uploads, decompression bombs, paths that try to climb out, unknown jobs, and legitimate
 * generations among them. The server must answer each with a 4xx of the right kind (never a 5xx),
 * stay up with bounded memory, touch nothing outside its work folder, and still finish the
 * legitimate jobs it accepted.
 */
class HostileLoadTest {

    @TempDir Path models;
    @TempDir Path root;

    @Test
    void aThousandBadRequestsLeaveTheServerWorking() throws Exception {
        Path work = Files.createDirectories(root.resolve("work"));
        Path outside = Files.createDirectories(root.resolve("outside"));
        Files.writeString(outside.resolve("precious.txt"), "keep me");
        byte[] picture = TestServer.picture();
        byte[] bomb = WebServerTest.bomb(50_000, 50_000);
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long heapBefore = rt.totalMemory() - rt.freeMemory();
        try (TestServer server =
                new TestServer(
                        models,
                        work,
                        TestServer.settings().withLimits(256 * 1024, 1_000_000, 4, 1),
                        1)) {
            Set<String> accepted = ConcurrentHashMap.newKeySet();
            List<String> wrong = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                int kind = i % 10;
                results.add(pool.submit(() -> attack(server, kind, picture, bomb, accepted)));
            }
            for (Future<String> f : results) {
                String problem = f.get();
                if (problem != null) {
                    wrong.add(problem);
                }
            }
            pool.shutdown();
            assertTrue(
                    wrong.isEmpty(), () -> wrong.size() + " wrong answers, e.g. " + wrong.get(0));

            assertEquals(200, server.get("/api/health").statusCode());
            assertTrue(accepted.size() > 0, "some legitimate jobs were accepted");
            for (String id : accepted) {
                assertEquals("done", server.await(id).get("state").getAsString(), id);
            }
            System.gc();
            long heapAfter = rt.totalMemory() - rt.freeMemory();
            assertTrue(
                    heapAfter - heapBefore < 256L << 20,
                    "heap grew by " + ((heapAfter - heapBefore) >> 20) + " MiB");

            // Nothing outside the work folder, and nothing but job folders inside it.
            assertEquals("keep me", Files.readString(outside.resolve("precious.txt")));
            try (Stream<Path> s = Files.list(outside)) {
                assertEquals(1, s.count());
            }
            try (Stream<Path> s = Files.list(work.resolve("jobs"))) {
                s.forEach(
                        p ->
                                assertTrue(
                                        p.getFileName().toString().matches("[0-9a-f]{16}"),
                                        p.toString()));
            }
            try (Stream<Path> s = Files.list(work)) {
                assertEquals(
                        Set.of("jobs", "uploads"),
                        Set.copyOf(s.map(p -> p.getFileName().toString()).toList()));
            }
        }
    }

    /**
     * One request of kind {@code kind}; a description of what was wrong with its answer, or null.
     */
    private static String attack(
            TestServer server, int kind, byte[] picture, byte[] bomb, Set<String> accepted)
            throws IOException, InterruptedException {
        HttpResponse<String> r;
        Set<Integer> ok;
        switch (kind) {
            case 0 -> {
                r = server.post("/api/generate", Map.of(), new byte[300 * 1024]);
                ok = Set.of(413);
            }
            case 1 -> {
                r = raw(server, "/api/generate", "multipart/form-data; boundary=x", "--x\r\njunk");
                ok = Set.of(400, 415);
            }
            case 2 -> {
                r =
                        server.post(
                                "/api/tag",
                                Map.of(),
                                "GIF89a but not".getBytes(StandardCharsets.UTF_8));
                ok = Set.of(400, 415);
            }
            case 3 -> {
                r = server.post("/api/generate", Map.of(), bomb);
                ok = Set.of(413);
            }
            case 4 -> {
                String[] climbs = {
                    "/api/jobs/..%2F..%2Fetc%2Fpasswd",
                    "/api/jobs/0123456789abcdef/..%2F..%2F..%2Fprecious.txt",
                    "/../../outside/precious.txt",
                    "/api/jobs/%2e%2e/%2e%2e/result.json"
                };
                r = server.get(climbs[(int) (System.nanoTime() % climbs.length)]);
                ok = Set.of(400, 404);
            }
            case 5 -> {
                r = server.delete("/api/jobs/ffffffffffffffff");
                ok = Set.of(404);
            }
            case 6 -> {
                r = server.post("/api/jobs/nope/continue", Map.of("labels", "calm"), null);
                ok = Set.of(404);
            }
            case 7 -> {
                r = server.post("/api/generate", Map.of("labels", "calm", "seconds", "0.5"), null);
                ok = Set.of(202, 429);
                if (r.statusCode() == 202) {
                    accepted.add(json(r).get("id").getAsString());
                }
            }
            case 8 -> {
                r = server.post("/api/tag", Map.of(), picture);
                ok = Set.of(200);
            }
            default -> {
                r = server.post("/api/generate", Map.of("labels", "calm,".repeat(400)), null);
                ok = Set.of(400);
            }
        }
        if (!ok.contains(r.statusCode())) {
            return "kind " + kind + ": " + r.statusCode() + " " + r.body();
        }
        if (r.statusCode() != 200 && r.statusCode() != 202 && !r.body().contains("\"error\"")) {
            return "kind " + kind + ": no JSON error in " + r.body();
        }
        return null;
    }

    private static HttpResponse<String> raw(TestServer s, String path, String type, String body)
            throws IOException, InterruptedException {
        return s.http.send(
                HttpRequest.newBuilder(s.uri(path))
                        .header("Content-Type", type)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
