package image2music.app.web;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import image2music.pipeline.TinyModels;
import image2music.pipeline.live.LiveGenerator;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** A server on tiny random models for the web tests, and a small HTTP client for it. */
final class TestServer implements AutoCloseable {

    static final List<String> MOODS = List.of("bright", "calm", "gloomy", "tense");

    /** Clip width of the tiny generator's clips. */
    static final int WIDTH = 64;

    final WebServer server;
    final Path work;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    TestServer(Path models, Path work, ServerSettings settings, int generators) throws IOException {
        this.work = work;
        Path tagger = models.resolve("tagger");
        Path generator = models.resolve("generator");
        if (!tagger.toFile().isDirectory()) {
            TinyModels.tagger(tagger, MOODS);
            TinyModels.generator(generator);
        }
        List<LiveGenerator> live = new ArrayList<>();
        for (int i = 0; i < generators; i++) {
            live.add(LiveGenerator.open(tagger, generator));
        }
        ServerSettings s = settings.withWork(work);
        this.server = WebServer.start(s, new Jobs(s, live));
    }

    /** Loopback on a free port, 2 steps per 64-px clip, small limits. */
    static ServerSettings settings() {
        return ServerSettings.defaults(Path.of("."))
                .withListen("127.0.0.1", 0)
                .withLimits(256 * 1024, 1_000_000, 2, 1)
                .withSampling(2, 7, WIDTH, 8);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> bytes(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(uri(path)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs a multipart form: text fields, and {@code image} as a file part when not null. */
    HttpResponse<String> post(String path, Map<String, String> fields, byte[] image)
            throws IOException, InterruptedException {
        String boundary = "----image2music-test-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, String> f : fields.entrySet()) {
            body.writeBytes(
                    ("--"
                                    + boundary
                                    + "\r\nContent-Disposition: form-data; name=\""
                                    + f.getKey()
                                    + "\"\r\n\r\n"
                                    + f.getValue()
                                    + "\r\n")
                            .getBytes(StandardCharsets.UTF_8));
        }
        if (image != null) {
            body.writeBytes(
                    ("--"
                                    + boundary
                                    + "\r\nContent-Disposition: form-data; name=\"image\";"
                                    + " filename=\"../../picture.png\"\r\nContent-Type:"
                                    + " image/png\r\n\r\n")
                            .getBytes(StandardCharsets.UTF_8));
            body.writeBytes(image);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request =
                HttpRequest.newBuilder(uri(path))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                        .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static JsonObject json(HttpResponse<String> r) {
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    /** Polls job {@code id} until it ends (at most a minute); its final JSON. */
    JsonObject await(String id) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonObject job = json(get("/api/jobs/" + id));
            String state = job.get("state").getAsString();
            if (!state.equals("queued") && !state.equals("running")) {
                return job;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("job " + id + " did not end within a minute");
    }

    /** A small sunset PNG. */
    static byte[] picture() throws IOException {
        BufferedImage img = new BufferedImage(48, 32, BufferedImage.TYPE_INT_RGB);
        var g = img.createGraphics();
        g.setColor(new Color(30, 40, 90));
        g.fillRect(0, 0, 48, 32);
        g.setColor(Color.ORANGE);
        g.fillOval(10, 6, 20, 20);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    @Override
    public void close() {
        server.close();
    }
}
