package image2music.app.web;

import static image2music.app.web.TestServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import image2music.audio.Audio;
import image2music.audio.io.WavReader;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON API through a real HTTP client against the running server, on tiny models. */
class WebServerTest {

    @TempDir static Path models;
    @TempDir static Path work;
    private static TestServer server;

    @TempDir Path dir;

    @BeforeAll
    static void start() throws IOException {
        server = new TestServer(models, work, TestServer.settings(), 1);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Audio wav(byte[] bytes, Path dir) throws IOException {
        Path f = dir.resolve("x-" + System.nanoTime() + ".wav");
        Files.write(f, bytes);
        return WavReader.read(f);
    }

    @Test
    void theWholeLifeOfAPiece() throws Exception {
        HttpResponse<String> health = server.get("/api/health");
        assertEquals(200, health.statusCode());
        assertEquals(4, json(health).getAsJsonArray("moods").size());

        HttpResponse<String> tagged =
                server.post(
                        "/api/tag", Map.of("top_k", "2", "threshold", "0"), TestServer.picture());
        assertEquals(200, tagged.statusCode(), tagged.body());
        JsonObject tags = json(tagged);
        assertEquals(4, tags.getAsJsonArray("labels").size());
        assertEquals(2, tags.getAsJsonArray("selected").size());

        HttpResponse<String> created =
                server.post(
                        "/api/generate",
                        Map.of("seconds", "1.5", "seed", "4"),
                        TestServer.picture());
        assertEquals(202, created.statusCode(), created.body());
        String id = json(created).get("id").getAsString();
        JsonObject job = server.await(id);
        assertEquals("done", job.get("state").getAsString(), job.toString());
        assertEquals(1.0, job.getAsJsonObject("progress").get("fraction").getAsDouble());
        assertFalse(job.get("prompt").getAsString().isEmpty());
        assertTrue(job.getAsJsonArray("labels").size() >= 1);

        Audio audio = wav(server.bytes("/api/jobs/" + id + "/audio.wav").body(), dir);
        assertEquals(1.5, audio.durationSeconds(), 1e-3);
        HttpResponse<byte[]> png = server.bytes("/api/jobs/" + id + "/spectrogram.png");
        assertEquals("image/png", png.headers().firstValue("Content-Type").orElse(""));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.body()));
        assertTrue(image.getWidth() > TestServer.WIDTH, "several clips joined");
        JsonObject result = json(server.get("/api/jobs/" + id + "/result.json"));
        assertEquals(image.getWidth(), result.get("spectrogram_width").getAsInt());

        // Play on with a mood chosen by the user: the next stretch, then the one after it.
        HttpResponse<String> next =
                server.post("/api/jobs/" + id + "/continue", Map.of("labels", "gloomy"), null);
        assertEquals(202, next.statusCode(), next.body());
        String nextId = json(next).get("id").getAsString();
        JsonObject cont = server.await(nextId);
        assertEquals("done", cont.get("state").getAsString(), cont.toString());
        assertEquals("gloomy", cont.get("prompt").getAsString());
        assertEquals(id, cont.get("parent").getAsString());
        assertEquals(nextId, json(server.get("/api/jobs/" + id)).get("next").getAsString());
        Audio stream = wav(server.bytes("/api/jobs/" + nextId + "/stream.wav").body(), dir);
        int stride = TestServer.WIDTH - TestServer.WIDTH / 4;
        assertEquals(stride * 441, stream.frames());

        // Only the latest stretch of a piece can be continued.
        assertEquals(
                409, server.post("/api/jobs/" + id + "/continue", Map.of(), null).statusCode());
        String third =
                json(server.post("/api/jobs/" + nextId + "/continue", Map.of(), null))
                        .get("id")
                        .getAsString();
        assertEquals("done", server.await(third).get("state").getAsString());

        JsonArray recent = json(server.get("/api/jobs")).getAsJsonArray("jobs");
        assertEquals(third, recent.get(0).getAsJsonObject().get("id").getAsString());

        assertEquals(200, server.delete("/api/jobs/" + third).statusCode());
        assertEquals(404, server.get("/api/jobs/" + third).statusCode());
        assertFalse(Files.exists(work.resolve("jobs").resolve(third)));
    }

    @Test
    void progressAsServerSentEvents() throws Exception {
        String id =
                json(server.post("/api/generate", Map.of("labels", "calm", "seconds", "1"), null))
                        .get("id")
                        .getAsString();
        HttpResponse<InputStream> events =
                server.http.send(
                        HttpRequest.newBuilder(server.uri("/api/jobs/" + id + "/events"))
                                .header("Accept", "text/event-stream")
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
        assertTrue(
                events.headers()
                        .firstValue("Content-Type")
                        .orElse("")
                        .startsWith("text/event-stream"));
        List<String> states = new ArrayList<>();
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(events.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("data:")) {
                    states.add(
                            com.google.gson.JsonParser.parseString(line.substring(5).strip())
                                    .getAsJsonObject()
                                    .get("state")
                                    .getAsString());
                }
            }
        }
        assertEquals("done", states.get(states.size() - 1), states.toString());
    }

    /** The first {@code n} event payloads of job {@code id}'s stream. */
    private static List<JsonObject> events(TestServer s, String id, int n) throws Exception {
        HttpResponse<InputStream> events =
                s.http.send(
                        HttpRequest.newBuilder(s.uri("/api/jobs/" + id + "/events"))
                                .header("Accept", "text/event-stream")
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
        List<JsonObject> out = new ArrayList<>();
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(events.body(), StandardCharsets.UTF_8))) {
            String line;
            while (out.size() < n && (line = r.readLine()) != null) {
                if (line.startsWith("data:")) {
                    out.add(
                            com.google.gson.JsonParser.parseString(line.substring(5).strip())
                                    .getAsJsonObject());
                }
            }
        }
        return out;
    }

    @Test
    void everyErrorIsJsonWithAFittingStatus() throws Exception {
        assertError(404, server.get("/api/jobs/0123456789abcdef"), "no job");
        assertError(404, server.get("/api/nothing"), "no such endpoint");
        assertError(
                413,
                server.post("/api/generate", Map.of(), new byte[300 * 1024]),
                "exceeds the limit");
        assertError(
                415,
                server.post("/api/generate", Map.of(), "hello".getBytes(StandardCharsets.UTF_8)),
                "not an image");
        assertError(413, server.post("/api/tag", Map.of(), bomb(60_000, 60_000)), "pixels");
        assertError(400, server.post("/api/generate", Map.of(), null), "no 'image'");
        assertError(
                400, server.post("/api/generate", Map.of("labels", "sunny"), null), "unknown mood");
        assertError(
                400,
                server.post("/api/generate", Map.of("labels", "calm", "seconds", "99"), null),
                "seconds");
        assertError(
                400,
                server.post("/api/generate", Map.of("labels", "calm", "seed", "-1"), null),
                "seed");
        assertError(
                400,
                server.post("/api/generate", Map.of("labels", "calm", "seconds", "NaN"), null),
                "not a number");
        HttpResponse<String> plain =
                server.http.send(
                        HttpRequest.newBuilder(server.uri("/api/tag"))
                                .POST(HttpRequest.BodyPublishers.ofString("x"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertError(415, plain, "multipart");
        String id =
                json(server.post("/api/generate", Map.of("labels", "calm"), null))
                        .get("id")
                        .getAsString();
        assertError(404, server.get("/api/jobs/" + id + "/passwd"), "no file");
        server.await(id);
        assertError(404, server.get("/api/jobs/" + id + "/..%2F..%2Fpasswd"), "no");
    }

    private static void assertError(int status, HttpResponse<String> r, String text) {
        assertEquals(status, r.statusCode(), r.body());
        String message = json(r).get("error").getAsString();
        assertTrue(message.contains(text), message);
    }

    /** A PNG whose header claims {@code w × h} pixels and holds none. */
    static byte[] bomb(int w, int h) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h);
        ihdr.put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    @Test
    void cancelAFullQueueAndAbandonedJobs(@TempDir Path slowWork) throws Exception {
        // Slow jobs (many steps), one generator, one queue slot, abandoned after half a second.
        ServerSettings s =
                TestServer.settings()
                        .withLimits(256 * 1024, 1_000_000, 1, 1)
                        .withSampling(200, 7, TestServer.WIDTH, 8)
                        .withTimes(Duration.ofHours(1), Duration.ofMillis(2000));
        try (TestServer slow = new TestServer(models, slowWork, s, 1)) {
            Map<String, String> calm = Map.of("labels", "calm", "seconds", "8");
            String running = json(slow.post("/api/generate", calm, null)).get("id").getAsString();
            // Steps arrive as events while it runs.
            List<JsonObject> progress = events(slow, running, 3);
            JsonObject last = progress.get(2);
            assertEquals("running", last.get("state").getAsString(), last.toString());
            assertTrue(last.getAsJsonObject("progress").get("step").getAsInt() >= 1);
            // PNDM (the tiny model's scheduler) runs one warm-up step more than asked.
            assertTrue(last.getAsJsonObject("progress").get("steps").getAsInt() >= 200);
            String waiting = json(slow.post("/api/generate", calm, null)).get("id").getAsString();
            HttpResponse<String> full = slow.post("/api/generate", calm, null);
            assertError(429, full, "queue is full");
            assertTrue(full.headers().firstValue("Retry-After").isPresent());

            // Cancelling the queued job frees its slot at once.
            assertEquals(
                    "cancelled",
                    json(slow.delete("/api/jobs/" + waiting)).get("state").getAsString());
            String again = json(slow.post("/api/generate", calm, null)).get("id").getAsString();
            assertNotNull(again);

            // The running one stops at its next step.
            slow.delete("/api/jobs/" + running);
            JsonObject stopped = slow.await(running);
            assertEquals("cancelled", stopped.get("state").getAsString());
            assertEquals(
                    409,
                    slow.post("/api/jobs/" + running + "/continue", Map.of(), null).statusCode());

            // Nobody asks about 'again' any more: it is cancelled as abandoned. (Watched through
            // the job list, which does not count as asking about one job.)
            JsonObject abandoned = null;
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline) {
                for (var j : json(slow.get("/api/jobs")).getAsJsonArray("jobs")) {
                    if (j.getAsJsonObject().get("id").getAsString().equals(again)) {
                        abandoned = j.getAsJsonObject();
                    }
                }
                if (abandoned != null
                        && !abandoned.get("state").getAsString().equals("running")
                        && !abandoned.get("state").getAsString().equals("queued")) {
                    break;
                }
                Thread.sleep(200);
            }
            assertEquals("cancelled", abandoned.get("state").getAsString(), abandoned.toString());
            assertTrue(abandoned.get("error").getAsString().contains("abandoned"));
        }
    }

    @Test
    void finishedJobsExpireWithTheirFiles(@TempDir Path shortWork) throws Exception {
        ServerSettings s =
                TestServer.settings().withTimes(Duration.ofSeconds(1), Duration.ofMillis(400));
        try (TestServer brief = new TestServer(models, shortWork, s, 1)) {
            String id =
                    json(brief.post("/api/generate", Map.of("labels", "calm"), null))
                            .get("id")
                            .getAsString();
            assertEquals("done", brief.await(id).get("state").getAsString());
            assertTrue(Files.exists(shortWork.resolve("jobs").resolve(id).resolve("audio.wav")));
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (brief.get("/api/jobs/" + id).statusCode() != 404
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertEquals(404, brief.get("/api/jobs/" + id).statusCode());
            assertFalse(Files.exists(shortWork.resolve("jobs").resolve(id)));
        }
    }

    @Test
    void thePageAndItsFilesComeFromTheJar() throws Exception {
        HttpResponse<String> page = server.get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<script src=\"app.js\">"));
        assertFalse(page.body().contains("http://") || page.body().contains("https://"));
        assertEquals(200, server.get("/app.js").statusCode());
        assertEquals(200, server.get("/style.css").statusCode());
    }
}
