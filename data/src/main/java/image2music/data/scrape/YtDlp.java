package image2music.data.scrape;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code yt-dlp} program as a subprocess: audio-only downloads with a duration filter and
 * a download archive, reporting each finished file (as one JSON line yt-dlp prints after moving it)
 * while the run goes on, so the caller can keep it at once.
 */
public final class YtDlp {

    /** Shown whenever yt-dlp cannot be started. */
    public static final String INSTALL_HINT =
            "install it (pipx install yt-dlp, python3 -m pip install --user yt-dlp, or your"
                    + " package manager's yt-dlp) or pass --yt-dlp PATH";

    /** Exit status when {@code --max-downloads} was reached. */
    private static final int EXIT_MAX_DOWNLOADS = 101;

    private static final String PRINT_TEMPLATE =
            "after_move:%(.{id,title,duration,webpage_url,filepath})j";

    /** A file yt-dlp finished. */
    public record Downloaded(
            String videoId, String title, Double durationSeconds, String webpageUrl, Path file) {}

    /** Receives each finished file as it appears. */
    @FunctionalInterface
    public interface Listener {
        void downloaded(Downloaded d) throws IOException, InterruptedException;
    }

    /** What a run did besides the downloads it reported. */
    public record Outcome(int exitCode, List<String> errors) {}

    private final String program;
    private final Map<String, String> environment;

    /**
     * @param program the program name on {@code PATH} or a path to it; a script without the
     *     executable bit is run through {@code sh}
     * @param environment extra environment variables for the subprocess
     */
    public YtDlp(String program, Map<String, String> environment) {
        this.program = program;
        this.environment = Map.copyOf(environment);
    }

    /** The command that starts yt-dlp. */
    List<String> command() {
        Path p = Path.of(program);
        if (program.contains("/") && Files.isRegularFile(p) && !Files.isExecutable(p)) {
            return List.of("sh", program);
        }
        return List.of(program);
    }

    /** yt-dlp's arguments for {@code request}. */
    static List<String> arguments(YtDlpRequest request) {
        List<String> a = new ArrayList<>();
        a.add("--ignore-errors");
        a.add("--no-progress");
        a.add("--format");
        a.add("bestaudio/best");
        a.add("--match-filter");
        a.add(
                String.format(
                        Locale.ROOT,
                        "!is_live & duration >= %s & duration <= %s",
                        seconds(request.minSeconds()),
                        seconds(request.maxSeconds())));
        a.add("--download-archive");
        a.add(request.archive().toString());
        a.add("--max-downloads");
        a.add(Integer.toString(request.maxDownloads()));
        a.add("--no-simulate");
        a.add("--print");
        a.add(PRINT_TEMPLATE);
        a.add("--output");
        a.add(request.outputDir().resolve("%(id)s.%(ext)s").toString());
        a.add("--");
        a.addAll(request.targets());
        return a;
    }

    private static String seconds(double s) {
        return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
    }

    /** yt-dlp's version; fails with the install hint when it cannot be started. */
    public String version() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(command());
        cmd.add("--version");
        Process p = start(cmd);
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        if (p.waitFor() != 0) {
            throw new IOException("yt-dlp ('" + program + "') --version failed; " + INSTALL_HINT);
        }
        return out;
    }

    /**
     * Runs yt-dlp for {@code request}, calling {@code listener} for each finished file in order. On
     * interrupt the subprocess tree is killed.
     */
    public Outcome download(YtDlpRequest request, Listener listener)
            throws IOException, InterruptedException {
        Files.createDirectories(request.outputDir());
        List<String> cmd = new ArrayList<>(command());
        cmd.addAll(arguments(request));
        Process p = start(cmd);
        List<String> errors = new CopyOnWriteArrayList<>();
        List<String> stderrTail = new CopyOnWriteArrayList<>();
        Thread errReader =
                daemon(
                        () ->
                                forEachLine(
                                        p.getErrorStream(),
                                        line -> {
                                            if (line.startsWith("ERROR:")) {
                                                errors.add(line);
                                            }
                                            stderrTail.add(line);
                                            if (stderrTail.size() > 20) {
                                                stderrTail.remove(0);
                                            }
                                        }));
        BlockingQueue<String> out = new LinkedBlockingQueue<>();
        String end = new String("end of output"); // compared by identity
        Thread outReader =
                daemon(
                        () -> {
                            try {
                                forEachLine(p.getInputStream(), out::add);
                            } finally {
                                out.add(end);
                            }
                        });
        try {
            while (true) {
                // A blocking read of the pipe would ignore interrupts; the queue does not.
                String line = out.poll(1, TimeUnit.SECONDS);
                if (line == end) {
                    break;
                }
                if (line != null) {
                    Downloaded d = parse(line);
                    if (d != null) {
                        listener.downloaded(d);
                    }
                }
            }
            int code = p.waitFor();
            errReader.join(5000);
            if (code != 0 && code != 1 && code != EXIT_MAX_DOWNLOADS) {
                throw new IOException(
                        "yt-dlp failed (exit " + code + "): " + String.join(" | ", stderrTail));
            }
            return new Outcome(code, List.copyOf(errors));
        } finally {
            if (p.isAlive()) {
                // Parent first: a child killed first lets the parent go on to the next video.
                List<ProcessHandle> children = p.descendants().toList();
                p.destroyForcibly();
                children.forEach(ProcessHandle::destroyForcibly);
            }
            outReader.interrupt();
        }
    }

    private Process start(List<String> cmd) throws IOException {
        ProcessBuilder b = new ProcessBuilder(cmd);
        b.environment().putAll(environment);
        try {
            return b.start();
        } catch (IOException e) {
            throw new IOException(
                    "yt-dlp not found or not runnable ('" + program + "'): " + INSTALL_HINT, e);
        }
    }

    /** Reads one {@code --print} JSON line; null for anything else. */
    static Downloaded parse(String line) {
        String s = line.trim();
        if (!s.startsWith("{")) {
            return null;
        }
        try {
            JsonObject o = JsonParser.parseString(s).getAsJsonObject();
            String id = str(o, "id");
            String path = str(o, "filepath");
            if (id == null || path == null) {
                return null;
            }
            JsonElement d = o.get("duration");
            Double duration = d != null && d.isJsonPrimitive() ? d.getAsDouble() : null;
            return new Downloaded(
                    id, str(o, "title"), duration, str(o, "webpage_url"), Path.of(path));
        } catch (JsonParseException | IllegalStateException | NumberFormatException e) {
            return null;
        }
    }

    private static String str(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || !e.isJsonPrimitive() ? null : e.getAsString();
    }

    private static Thread daemon(Runnable r) {
        Thread t = new Thread(r, "yt-dlp-io");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void forEachLine(InputStream in, java.util.function.Consumer<String> each) {
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                each.accept(line);
            }
        } catch (IOException e) {
            // The process was killed: its pipes close.
        }
    }
}
