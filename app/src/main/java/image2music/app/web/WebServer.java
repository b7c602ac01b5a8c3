package image2music.app.web;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import image2music.models.vit.LabelScore;
import image2music.models.vit.RgbImage;
import image2music.models.vit.RgbImages;
import image2music.models.vit.ViTTagger;
import image2music.pipeline.ImageToMusicRequest;
import image2music.pipeline.InvalidRequestException;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web app: the page (static files from the jar, nothing from elsewhere) and the JSON API over
 * {@link Jobs}. Every error is a JSON object {@code {"error": "..."}} with a fitting status; no
 * stack trace leaves the server, and no path the client sends is ever used as a file name.
 */
public final class WebServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

    /** Longest text field accepted (a mood list, a number). */
    private static final int MAX_FIELD = 1000;

    private final Javalin app;
    private final Jobs jobs;
    private final ServerSettings settings;

    private WebServer(Javalin app, Jobs jobs, ServerSettings settings) {
        this.app = app;
        this.jobs = jobs;
        this.settings = settings;
    }

    /**
     * Starts serving {@code jobs} on {@code settings}' host and port.
     *
     * @throws IOException if the upload folder cannot be made
     */
    public static WebServer start(ServerSettings settings, Jobs jobs) throws IOException {
        Path uploads = Files.createDirectories(settings.work().resolve("uploads"));
        long limit = settings.maxUploadBytes();
        Javalin app =
                Javalin.create(
                        config -> {
                            config.showJavalinBanner = false;
                            config.http.maxRequestSize = limit;
                            config.jetty.multipartConfig.cacheDirectory(uploads.toString());
                            config.jetty.multipartConfig.maxFileSize(limit, SizeUnit.BYTES);
                            config.jetty.multipartConfig.maxTotalRequestSize(limit, SizeUnit.BYTES);
                            config.jetty.multipartConfig.maxInMemoryFileSize(
                                    (int) Math.min(limit, 1 << 20), SizeUnit.BYTES);
                            config.staticFiles.add("/web", Location.CLASSPATH);
                            config.jetty.modifyServer(
                                    s -> s.setErrorHandler(new JsonErrorHandler()));
                        });
        WebServer server = new WebServer(app, jobs, settings);
        server.routes();
        app.start(settings.host(), settings.port());
        return server;
    }

    /** The port it listens on (the one chosen when the settings asked for 0). */
    public int port() {
        return app.port();
    }

    private void routes() {
        app.before(
                "/api/*",
                ctx -> {
                    long length = ctx.contentLength();
                    if (length > settings.maxUploadBytes()) {
                        throw new ApiException(
                                413,
                                "request of "
                                        + length
                                        + " bytes exceeds the limit of "
                                        + settings.maxUploadBytes());
                    }
                    if (isMultipart(ctx)) {
                        parseForm(ctx);
                    }
                });
        app.exception(
                ApiException.class,
                (e, ctx) -> {
                    if (e.retryAfterSeconds() != null) {
                        ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
                    }
                    error(ctx, e.status(), e.getMessage());
                });
        app.exception(
                Exception.class,
                (e, ctx) -> {
                    if (tooLarge(e)) {
                        error(ctx, 413, "upload exceeds the limit of " + settings.maxUploadBytes());
                        return;
                    }
                    LOG.warn("request {} {} failed: {}", ctx.method(), ctx.path(), e.toString());
                    LOG.debug("stack trace", e);
                    error(ctx, 500, "internal error: " + e.getClass().getSimpleName());
                });
        app.error(
                404,
                ctx -> {
                    String type = ctx.res().getContentType();
                    if (ctx.path().startsWith("/api/")
                            && (type == null || !type.startsWith("application/json"))) {
                        error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
                    }
                });
        app.get("/api/health", this::health);
        app.post("/api/tag", this::tag);
        app.post("/api/generate", this::generate);
        app.get("/api/jobs", this::list);
        app.get("/api/jobs/{id}", ctx -> json(ctx, 200, jobs.get(ctx.pathParam("id")).toJson()));
        app.sse("/api/jobs/{id}/events", this::events);
        app.get("/api/jobs/{id}/{file}", this::file);
        app.post("/api/jobs/{id}/continue", this::continuePiece);
        app.delete("/api/jobs/{id}", this::delete);
    }

    /** Parses the form once, up front, so a malformed one is a 400 and an oversize one a 413. */
    private void parseForm(Context ctx) {
        try {
            ctx.formParamMap();
            ctx.uploadedFiles();
        } catch (Exception e) {
            // Jetty's parser throws IOException through Kotlin, undeclared: catch it all here.
            if (tooLarge(e)) {
                throw new ApiException(
                        413, "upload exceeds the limit of " + settings.maxUploadBytes());
            }
            throw new ApiException(400, "malformed multipart form");
        }
    }

    private static boolean tooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("exceeds max") || m.contains("too large"))) {
                return true;
            }
        }
        return false;
    }

    private static void error(Context ctx, int status, String message) {
        JsonObject o = new JsonObject();
        o.addProperty("error", message);
        json(ctx, status, o);
    }

    private static void json(Context ctx, int status, JsonObject o) {
        ctx.status(status).contentType("application/json").result(o.toString());
    }

    private void health(Context ctx) {
        JsonObject o = new JsonObject();
        o.addProperty("status", "ok");
        o.add("moods", strings(jobs.models().labels()));
        o.addProperty("queued", jobs.waiting());
        o.addProperty("running", jobs.running());
        JsonObject s = new JsonObject();
        s.addProperty("steps", settings.steps());
        s.addProperty("clip_seconds", clipSeconds());
        s.addProperty("max_seconds", settings.maxSeconds());
        s.addProperty("max_upload_bytes", settings.maxUploadBytes());
        s.addProperty("max_pixels", settings.maxPixels());
        s.addProperty("queue", settings.queueCapacity());
        s.addProperty("sample_rate", jobs.models().params().sampleRate());
        s.addProperty("max_frequency", jobs.models().params().maxFrequency());
        o.add("settings", s);
        json(ctx, 200, o);
    }

    private double clipSeconds() {
        var p = jobs.models().params();
        return (settings.width() - 1) * (double) p.hopLength() / p.sampleRate();
    }

    private static JsonArray strings(List<String> values) {
        JsonArray a = new JsonArray();
        values.forEach(a::add);
        return a;
    }

    /** Every mood of the uploaded picture, the selected ones and their prompt. */
    private void tag(Context ctx) {
        List<LabelScore> ranked = jobs.models().rank(picture(ctx));
        List<LabelScore> chosen = select(ctx, ranked);
        JsonObject o = new JsonObject();
        o.add("labels", scores(ranked));
        o.add("selected", strings(chosen.stream().map(LabelScore::label).toList()));
        o.addProperty("prompt", prompt(chosen));
        json(ctx, 200, o);
    }

    private void generate(Context ctx) {
        List<LabelScore> labels = labels(ctx);
        if (labels == null) {
            labels = select(ctx, jobs.models().rank(picture(ctx)));
        }
        Job job = jobs.generate(labels, prompt(labels), seed(ctx), seconds(ctx));
        accepted(ctx, job);
    }

    private void continuePiece(Context ctx) {
        List<LabelScore> labels = labels(ctx);
        if (labels == null && isMultipart(ctx) && ctx.uploadedFile("image") != null) {
            labels = select(ctx, jobs.models().rank(picture(ctx)));
        }
        Job job =
                jobs.continueAfter(
                        ctx.pathParam("id"),
                        labels == null ? List.of() : labels,
                        labels == null ? null : prompt(labels),
                        seconds(ctx));
        accepted(ctx, job);
    }

    private static void accepted(Context ctx, Job job) {
        JsonObject o = new JsonObject();
        o.addProperty("id", job.id());
        o.add("job", job.toJson());
        ctx.header("Location", "/api/jobs/" + job.id());
        json(ctx, 202, o);
    }

    private void list(Context ctx) {
        JsonArray a = new JsonArray();
        for (Job j : jobs.recent()) {
            a.add(j.toJson());
        }
        JsonObject o = new JsonObject();
        o.add("jobs", a);
        json(ctx, 200, o);
    }

    private void delete(Context ctx) {
        String id = ctx.pathParam("id");
        JobState state = jobs.delete(id);
        JsonObject o = new JsonObject();
        o.addProperty("id", id);
        o.addProperty("state", state.json());
        json(ctx, 200, o);
    }

    private void file(Context ctx) throws IOException {
        String name = ctx.pathParam("file");
        if (!JobFiles.NAMES.contains(name)) {
            throw new ApiException(404, "no file " + name + "; a job has " + JobFiles.NAMES);
        }
        Job job = jobs.get(ctx.pathParam("id"));
        if (job.state() != JobState.DONE) {
            throw new ApiException(409, "job " + job.id() + " is " + job.state().json());
        }
        Path file = jobs.dir(job).resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new ApiException(404, "job " + job.id() + " has expired");
        }
        ctx.contentType(JobFiles.contentType(name));
        ctx.header("Cache-Control", "no-store");
        if (name.endsWith(".wav") || name.endsWith(".png")) {
            ctx.header("Content-Disposition", "inline; filename=\"" + job.id() + "-" + name + "\"");
        }
        ctx.result(Files.readAllBytes(file));
    }

    private void events(io.javalin.http.sse.SseClient client) {
        Job job;
        try {
            job = jobs.get(client.ctx().pathParam("id"));
        } catch (ApiException e) {
            client.sendEvent("error", errorJson(e.getMessage()).toString());
            client.close();
            return;
        }
        client.keepAlive();
        Consumer<JsonObject> send =
                new Consumer<>() {
                    @Override
                    public void accept(JsonObject state) {
                        synchronized (client) {
                            if (client.terminated()) {
                                return;
                            }
                            client.sendEvent("progress", state.toString());
                            if (!"queued".equals(state.get("state").getAsString())
                                    && !"running".equals(state.get("state").getAsString())) {
                                job.unwatch(this);
                                client.close();
                            }
                        }
                    }
                };
        client.onClose(() -> job.unwatch(send));
        job.watch(send);
        send.accept(job.toJson());
    }

    private static JsonObject errorJson(String message) {
        JsonObject o = new JsonObject();
        o.addProperty("error", message);
        return o;
    }

    private static boolean isMultipart(Context ctx) {
        String type = ctx.contentType();
        return type != null && type.toLowerCase().startsWith("multipart/");
    }

    /**
     * The uploaded picture, checked by its content (an image reader must recognise it) and its
     * header's pixel count before it is decoded.
     */
    private RgbImage picture(Context ctx) {
        if (!isMultipart(ctx)) {
            throw new ApiException(415, "send the picture as multipart/form-data field 'image'");
        }
        UploadedFile file = ctx.uploadedFile("image");
        if (file == null) {
            throw new ApiException(400, "no 'image' field in the form");
        }
        byte[] bytes;
        try (InputStream in = file.content()) {
            bytes =
                    in.readNBytes(
                            (int) Math.min(Integer.MAX_VALUE - 8, settings.maxUploadBytes() + 1));
        } catch (IOException e) {
            throw new ApiException(400, "the upload could not be read");
        }
        if (bytes.length > settings.maxUploadBytes()) {
            throw new ApiException(413, "upload exceeds the limit of " + settings.maxUploadBytes());
        }
        try {
            return RgbImages.decode(bytes, "the picture", settings.maxPixels());
        } catch (RgbImages.NotAnImageException e) {
            throw new ApiException(415, e.getMessage() + " (send a PNG, JPEG, GIF, BMP or WebP)");
        } catch (RgbImages.TooManyPixelsException e) {
            throw new ApiException(413, e.getMessage());
        } catch (IOException e) {
            throw new ApiException(400, e.getMessage());
        }
    }

    /** The moods the client chose ({@code labels}, comma-separated), or null if it chose none. */
    private List<LabelScore> labels(Context ctx) {
        String text = field(ctx, "labels");
        if (text == null || text.isBlank()) {
            return null;
        }
        List<String> known = jobs.models().labels();
        List<LabelScore> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String l = part.strip();
            if (l.isEmpty()) {
                continue;
            }
            if (!known.contains(l)) {
                throw new ApiException(400, "unknown mood '" + l + "'; the moods are " + known);
            }
            if (out.stream().noneMatch(s -> s.label().equals(l))) {
                out.add(new LabelScore(l, Float.NaN));
            }
        }
        return out.isEmpty() ? null : out;
    }

    private static List<LabelScore> select(Context ctx, List<LabelScore> ranked) {
        Integer k = integer(ctx, "top_k");
        Double t = number(ctx, "threshold");
        int topK = k == null ? ImageToMusicRequest.DEFAULT_TOP_K : k;
        float threshold = t == null ? ImageToMusicRequest.DEFAULT_THRESHOLD : t.floatValue();
        try {
            ImageToMusicRequest.checkSelection(topK, threshold);
        } catch (IllegalArgumentException e) {
            throw new ApiException(
                    400,
                    e.getMessage().replace("--top-k", "top_k").replace("--threshold", "threshold"));
        }
        return ViTTagger.select(ranked, topK, threshold);
    }

    private String prompt(List<LabelScore> labels) {
        try {
            return jobs.models().prompt(labels.stream().map(LabelScore::label).toList());
        } catch (InvalidRequestException e) {
            throw new ApiException(400, e.getMessage());
        }
    }

    private static JsonArray scores(List<LabelScore> labels) {
        JsonArray a = new JsonArray();
        for (LabelScore l : labels) {
            JsonObject o = new JsonObject();
            o.addProperty("label", l.label());
            o.addProperty("probability", l.probability());
            a.add(o);
        }
        return a;
    }

    private static String field(Context ctx, String name) {
        String v = ctx.formParam(name);
        if (v != null && v.length() > MAX_FIELD) {
            throw new ApiException(400, "field '" + name + "' is longer than " + MAX_FIELD);
        }
        return v;
    }

    private static Double number(Context ctx, String name) {
        String v = field(ctx, name);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            double d = Double.parseDouble(v.strip());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new ApiException(400, "field '" + name + "' is not a number: " + v.strip());
        }
    }

    private static Integer integer(Context ctx, String name) {
        Double d = number(ctx, name);
        if (d == null) {
            return null;
        }
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw new ApiException(400, "field '" + name + "' is not an integer");
        }
        return d.intValue();
    }

    private static Long seed(Context ctx) {
        Double d = number(ctx, "seed");
        if (d == null) {
            return null;
        }
        // Seeds travel through JavaScript numbers: keep them exact there.
        if (d != Math.rint(d) || d < 0 || d > (1L << 53)) {
            throw new ApiException(400, "field 'seed' must be an integer in [0, 2^53]");
        }
        return d.longValue();
    }

    private static Double seconds(Context ctx) {
        return number(ctx, "seconds");
    }

    /** Stops listening and stops the jobs. */
    @Override
    public void close() {
        app.stop();
        jobs.close();
    }
}
