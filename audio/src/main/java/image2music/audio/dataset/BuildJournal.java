package image2music.audio.dataset;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dataset builder's record of finished source files, one JSON line each, so an interrupted run
 * resumes where it stopped. A line is appended only after all of a file's images exist.
 */
final class BuildJournal implements AutoCloseable {

    private static final Gson GSON = new Gson();

    private final Map<String, BuiltFile> entries = new LinkedHashMap<>();
    private final OutputStream out;

    BuildJournal(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        if (Files.exists(file)) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (String line : lines) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    BuiltFile e = GSON.fromJson(line, BuiltFile.class);
                    if (e != null && e.sha256() != null && e.tiles() != null) {
                        entries.put(e.sha256(), e);
                    }
                } catch (JsonParseException e) {
                    // A line cut short by a crash: that file is simply built again.
                }
            }
        }
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    synchronized BuiltFile get(String sha256) {
        return entries.get(sha256);
    }

    synchronized List<BuiltFile> entries() {
        return List.copyOf(entries.values());
    }

    synchronized void append(BuiltFile e) throws IOException {
        // One write per line so a crash leaves at most one partial line, which reading skips.
        out.write(("\n" + GSON.toJson(e) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        entries.put(e.sha256(), e);
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
