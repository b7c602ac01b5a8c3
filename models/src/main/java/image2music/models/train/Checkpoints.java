package image2music.models.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import image2music.core.io.AtomicFiles;
import image2music.core.io.FileTrees;
import image2music.core.json.Json;
import image2music.models.nn.SafetensorsFile;
import image2music.models.nn.SafetensorsWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The folders a training run writes under its output folder: {@code checkpoint-<step>/} (the
 * model's own files, {@code training_provenance.json}, extra state tensors such as {@code
 * optimizer.safetensors} and {@code ema.safetensors}, and {@code trainer_state.json}), {@code
 * best/} (the model files of the best checkpoint) and the final model in the output folder itself.
 * Folders are written under a temporary name and renamed, so a crash never leaves a half
 * checkpoint; only the newest {@code keep} checkpoints stay.
 */
public final class Checkpoints {

    /** Writes a model's own files (config, weights…) into a folder. */
    @FunctionalInterface
    public interface ModelWriter {
        void write(Path dir) throws IOException;
    }

    public static final String PREFIX = "checkpoint-";
    public static final String OPTIMIZER = "optimizer.safetensors";
    public static final String EMA = "ema.safetensors";
    public static final String STATE = "trainer_state.json";
    public static final String PROVENANCE = "training_provenance.json";
    public static final String BEST = "best";

    /** Files of a checkpoint that are training state, not model: {@code best/} leaves them out. */
    private static final Set<String> STATE_FILES = Set.of(OPTIMIZER, EMA, STATE);

    private final Path out;
    private final int keep;

    /** Checkpoints under {@code out}, keeping the newest {@code keep}. */
    public Checkpoints(Path out, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be >= 1, got " + keep);
        }
        this.out = out;
        this.keep = keep;
    }

    /**
     * Writes {@code checkpoint-<step>} (replacing one of that step) and drops old ones.
     *
     * @param tensors extra state: file name (e.g. {@link #OPTIMIZER}) to its tensors
     */
    public Path save(
            TrainerState state,
            JsonObject scheduler,
            JsonObject provenance,
            ModelWriter model,
            Map<String, Map<String, NDArray>> tensors)
            throws IOException {
        Path target = out.resolve(PREFIX + state.step());
        AtomicFiles.writeFolder(
                target,
                tmp -> {
                    writeModel(tmp, model, provenance);
                    for (Map.Entry<String, Map<String, NDArray>> e : tensors.entrySet()) {
                        SafetensorsWriter.write(tmp.resolve(e.getKey()), e.getValue());
                    }
                    Json.write(tmp.resolve(STATE), state.toJson(scheduler));
                });
        prune();
        return target;
    }

    /** Writes the final model (and its provenance) into the output folder itself. */
    public void saveFinal(ModelWriter model, JsonObject provenance) throws IOException {
        writeModel(out, model, provenance);
    }

    /**
     * Copies the model files of {@code checkpoint} (all but the training state) to {@code best/}.
     */
    public void copyBest(Path checkpoint) throws IOException {
        AtomicFiles.writeFolder(
                out.resolve(BEST),
                tmp -> {
                    List<Path> files;
                    try (Stream<Path> s = Files.walk(checkpoint)) {
                        files = s.filter(Files::isRegularFile).sorted().toList();
                    }
                    for (Path f : files) {
                        Path rel = checkpoint.relativize(f);
                        if (rel.getNameCount() == 1 && STATE_FILES.contains(rel.toString())) {
                            continue;
                        }
                        Path to = tmp.resolve(rel.toString());
                        Files.createDirectories(to.getParent());
                        Files.copy(f, to);
                    }
                });
    }

    /** Whether {@code out} holds a checkpoint: what a resumed run continues from. */
    public static boolean any(Path out) throws IOException {
        return !checkpoints(out).isEmpty();
    }

    /** The checkpoint with the highest step, if any. */
    public Optional<Path> latest() throws IOException {
        List<Path> all = checkpoints();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** Reads the trainer state of {@code checkpoint}. */
    public static TrainerState readState(Path checkpoint) throws IOException {
        Path p = checkpoint.resolve(STATE);
        try {
            return TrainerState.fromJson(
                    JsonParser.parseString(Files.readString(p, StandardCharsets.UTF_8))
                            .getAsJsonObject());
        } catch (RuntimeException e) {
            throw new IOException(p + ": not a trainer state: " + e.getMessage(), e);
        }
    }

    /** The tensors of {@code checkpoint}'s {@code file}, in {@code manager}. */
    public static Map<String, NDArray> readTensors(Path checkpoint, String file, NDManager manager)
            throws IOException {
        return SafetensorsFile.read(checkpoint.resolve(file), manager);
    }

    private static void writeModel(Path dir, ModelWriter model, JsonObject provenance)
            throws IOException {
        model.write(dir);
        Json.write(dir.resolve(PROVENANCE), provenance);
    }

    private List<Path> checkpoints() throws IOException {
        return checkpoints(out);
    }

    private static List<Path> checkpoints(Path out) throws IOException {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(out)) {
            return found;
        }
        try (Stream<Path> s = Files.list(out)) {
            s.filter(p -> Files.isDirectory(p) && stepOf(p) >= 0).forEach(found::add);
        }
        found.sort(Comparator.comparingLong(Checkpoints::stepOf));
        return found;
    }

    private void prune() throws IOException {
        List<Path> all = checkpoints();
        for (int i = 0; i < all.size() - keep; i++) {
            FileTrees.delete(all.get(i));
        }
    }

    private static long stepOf(Path p) {
        String name = p.getFileName().toString();
        if (!name.startsWith(PREFIX)) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(PREFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
