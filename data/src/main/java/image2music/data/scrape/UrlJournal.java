package image2music.data.scrape;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The source URLs a scraper tried and did not keep (duplicates, rejections, failures), so that a
 * resumed run does not download them again. Kept URLs are in the manifest instead. One JSON object
 * per line in {@code <root>/.scrape-journal.jsonl}; it is a cache: unreadable lines (a crash
 * mid-line) are skipped.
 */
public final class UrlJournal {

    /** What became of a URL. */
    public enum Outcome {
        DUPLICATE,
        NEAR_DUPLICATE,
        REJECTED,
        FAILED
    }

    /** The journal's file name inside the collection root. */
    public static final String FILE_NAME = ".scrape-journal.jsonl";

    private final Path file;
    private final Map<String, Outcome> outcomes = new HashMap<>();

    private UrlJournal(Path file) {
        this.file = file;
    }

    /** Reads the journal in {@code root}, or starts an empty one. */
    public static UrlJournal open(Path root) throws IOException {
        UrlJournal j = new UrlJournal(root.resolve(FILE_NAME));
        if (Files.exists(j.file)) {
            for (String line : Files.readAllLines(j.file, StandardCharsets.UTF_8)) {
                try {
                    JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                    j.outcomes.put(
                            o.get("url").getAsString(),
                            Outcome.valueOf(o.get("outcome").getAsString()));
                } catch (JsonParseException
                        | IllegalStateException
                        | IllegalArgumentException
                        | NullPointerException
                        | UnsupportedOperationException e) {
                    // A line cut short by a crash: that URL is simply tried again.
                }
            }
        }
        return j;
    }

    /** The recorded outcome of {@code url}, or null. */
    public synchronized Outcome outcome(String url) {
        return outcomes.get(url);
    }

    /** Records what became of {@code url}; one line, appended with a single write. */
    public synchronized void record(
            String url, String label, Outcome outcome, String detail, Instant at)
            throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("url", url);
        o.addProperty("label", label);
        o.addProperty("outcome", outcome.name());
        if (detail != null) {
            o.addProperty("detail", detail);
        }
        o.addProperty("at", at.toString());
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(
                file,
                ("\n" + o + "\n").getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        outcomes.put(url, outcome);
    }
}
