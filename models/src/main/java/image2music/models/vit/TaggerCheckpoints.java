package image2music.models.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import image2music.core.io.AtomicFiles;
import image2music.core.io.FileTrees;
import image2music.core.json.Json;
import image2music.models.nn.SafetensorsFile;
import image2music.models.nn.SafetensorsWriter;
import image2music.models.train.AdamW;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The folders a {@link TaggerTrainer} run writes under its output folder: {@code
 * checkpoint-<step>/} (a HF model folder plus {@code optimizer.safetensors} and {@code
 * trainer_state.json}), {@code best/} and the final model in the output folder itself. Every model
 * folder carries {@code training_provenance.json} (config, seed, data fingerprint). Folders are
 * written under a temporary name and renamed, so a crash never leaves a half checkpoint.
 */
final class TaggerCheckpoints {

    static final String PREFIX = "checkpoint-";
    static final String OPTIMIZER = "optimizer.safetensors";
    static final String STATE = "trainer_state.json";
    static final String PROVENANCE = "training_provenance.json";
    static final String BEST = "best";

    private final Path out;
    private final int keep;
    private final Path preprocessorSource;

    /**
     * @param preprocessorSource a {@code preprocessor_config.json} to copy into each model folder
     *     (the init folder's), or null when HF's defaults apply
     */
    TaggerCheckpoints(Path out, int keep, Path preprocessorSource) {
        this.out = out;
        this.keep = keep;
        this.preprocessorSource = preprocessorSource;
    }

    /** Writes {@code checkpoint-<step>} (replacing one of that step) and drops old ones. */
    Path save(
            ViTForImageClassification model,
            AdamW optimizer,
            TrainerState state,
            JsonObject scheduler,
            JsonObject provenance)
            throws IOException {
        Path target = out.resolve(PREFIX + state.step());
        AtomicFiles.writeFolder(
                target,
                tmp -> {
                    writeModelFiles(model, tmp, provenance);
                    Map<String, NDArray> moments = optimizer.state();
                    try {
                        SafetensorsWriter.write(tmp.resolve(OPTIMIZER), moments);
                    } finally {
                        // state() makes a fresh step scalar each time; the moments are the
                        // optimiser's.
                        moments.get("step").close();
                    }
                    Json.write(tmp.resolve(STATE), state.toJson(scheduler));
                });
        prune();
        return target;
    }

    /** Writes the final model into the output folder itself. */
    void saveFinal(ViTForImageClassification model, JsonObject provenance) throws IOException {
        writeModelFiles(model, out, provenance);
    }

    /** Copies the model files of {@code checkpoint} to {@code best/}. */
    void copyBest(Path checkpoint) throws IOException {
        AtomicFiles.writeFolder(
                out.resolve(BEST),
                tmp -> {
                    for (String f :
                            List.of(
                                    ViTCheckpoints.CONFIG,
                                    ViTCheckpoints.WEIGHTS,
                                    ImageProcessorConfig.FILE,
                                    PROVENANCE)) {
                        if (Files.isRegularFile(checkpoint.resolve(f))) {
                            Files.copy(checkpoint.resolve(f), tmp.resolve(f));
                        }
                    }
                });
    }

    /** The checkpoint with the highest step, if any. */
    Optional<Path> latest() throws IOException {
        List<Path> all = checkpoints();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** Reads the trainer state of {@code checkpoint}. */
    static TrainerState readState(Path checkpoint) throws IOException {
        Path p = checkpoint.resolve(STATE);
        try {
            return TrainerState.fromJson(
                    JsonParser.parseString(Files.readString(p, StandardCharsets.UTF_8))
                            .getAsJsonObject());
        } catch (RuntimeException e) {
            throw new IOException(p + ": not a trainer state: " + e.getMessage(), e);
        }
    }

    /**
     * Refuses to resume from {@code checkpoint} with another configuration or other data than it
     * was written with ({@code max_steps} aside: stopping early is what resuming is for), since the
     * continued run would no longer be the one that was stopped.
     */
    static void checkSameRun(Path checkpoint, JsonObject provenance) throws IOException {
        Path p = checkpoint.resolve(PROVENANCE);
        JsonObject before;
        try {
            before =
                    JsonParser.parseString(Files.readString(p, StandardCharsets.UTF_8))
                            .getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IOException(p + ": not a provenance file: " + e.getMessage(), e);
        }
        // Compared as written: a float field equals its parsed text only after a round trip.
        JsonObject now = JsonParser.parseString(provenance.toString()).getAsJsonObject();
        List<String> changed = new ArrayList<>();
        JsonObject oldConfig = before.getAsJsonObject("config");
        JsonObject newConfig = now.getAsJsonObject("config");
        for (String key : newConfig.keySet()) {
            if (!key.equals("max_steps") && !newConfig.get(key).equals(oldConfig.get(key))) {
                changed.add(key + " " + oldConfig.get(key) + " -> " + newConfig.get(key));
            }
        }
        if (!now.get("data").equals(before.get("data"))) {
            changed.add("the images or their labels");
        }
        if (!changed.isEmpty()) {
            throw new IllegalArgumentException(
                    checkpoint
                            + " was written by another run; changed: "
                            + String.join(", ", changed));
        }
    }

    /** Loads the optimiser moments and step of {@code checkpoint} into {@code optimizer}. */
    static void loadOptimizer(Path checkpoint, AdamW optimizer, NDManager manager)
            throws IOException {
        try (NDManager scratch = manager.newSubManager()) {
            Map<String, NDArray> state =
                    SafetensorsFile.read(checkpoint.resolve(OPTIMIZER), scratch);
            optimizer.load(state);
        }
    }

    private void writeModelFiles(ViTForImageClassification model, Path dir, JsonObject provenance)
            throws IOException {
        ViTCheckpoints.save(model, dir);
        if (preprocessorSource != null && Files.isRegularFile(preprocessorSource)) {
            AtomicFiles.write(
                    dir.resolve(ImageProcessorConfig.FILE), Files.readAllBytes(preprocessorSource));
        }
        Json.write(dir.resolve(PROVENANCE), provenance);
    }

    private List<Path> checkpoints() throws IOException {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(out)) {
            return found;
        }
        try (Stream<Path> s = Files.list(out)) {
            s.filter(p -> Files.isDirectory(p) && stepOf(p) >= 0).forEach(found::add);
        }
        found.sort(Comparator.comparingLong(TaggerCheckpoints::stepOf));
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
