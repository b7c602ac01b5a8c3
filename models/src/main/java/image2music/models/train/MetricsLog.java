package image2music.models.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import image2music.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code metrics.jsonl}: one JSON object per line, {@code "type": "step"} every few steps (loss,
 * learning rate, gradient norm, throughput) and {@code "type": "epoch"} after each validation.
 * Every line has {@code step} and {@code epoch}.
 */
public final class MetricsLog {

    /** The file name in a run's output folder. */
    public static final String FILE = "metrics.jsonl";

    private static final Gson GSON = new GsonBuilder().serializeNulls().create();

    private final Path path;

    /** The log of the run writing into {@code out}. */
    public MetricsLog(Path out) {
        this.path = out.resolve(FILE);
    }

    /** Appends one line. */
    public void append(JsonObject line) throws IOException {
        Files.writeString(
                path,
                GSON.toJson(line) + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** Deletes the log (a fresh run). */
    public void delete() throws IOException {
        Files.deleteIfExists(path);
    }

    /**
     * Drops the lines logged after {@code step}: a resumed run repeats those steps and logs them
     * again.
     */
    public void truncateAfter(long step) throws IOException {
        if (!Files.isRegularFile(path)) {
            return;
        }
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            if (o.get("step").getAsLong() <= step) {
                kept.add(line);
            }
        }
        StringBuilder text = new StringBuilder();
        kept.forEach(l -> text.append(l).append('\n'));
        AtomicFiles.write(path, text.toString().getBytes(StandardCharsets.UTF_8));
    }
}
