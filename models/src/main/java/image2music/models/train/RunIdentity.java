package image2music.models.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a checkpoint belongs to the run about to resume from it: its {@code
 * training_provenance.json} must hold the same {@code config} ({@code max_steps} aside: stopping
 * early is what resuming is for) and the same {@code data}, or the continued run would no longer be
 * the one that was stopped.
 */
public final class RunIdentity {

    private RunIdentity() {}

    /**
     * Refuses {@code checkpoint} when its provenance differs from {@code provenance} (a config key
     * that an older checkpoint lacks counts as unchanged when the new value is the default).
     *
     * @throws IllegalArgumentException naming what changed
     */
    public static void check(Path checkpoint, JsonObject provenance) throws IOException {
        Path p = checkpoint.resolve(Checkpoints.PROVENANCE);
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
        JsonObject defaults = TrainingArguments.defaults().toJson();
        List<String> changed = new ArrayList<>();
        JsonObject oldConfig = before.getAsJsonObject("config");
        JsonObject newConfig = now.getAsJsonObject("config");
        for (String key : newConfig.keySet()) {
            if (key.equals("max_steps")) {
                continue;
            }
            JsonElement was = oldConfig.has(key) ? oldConfig.get(key) : defaults.get(key);
            if (!newConfig.get(key).equals(was)) {
                changed.add(key + " " + was + " -> " + newConfig.get(key));
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
}
