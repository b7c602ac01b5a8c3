package image2music.pipeline;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;

/**
 * A LoRA file to apply to a generator, at a scale (1 = as trained): diffusers' {@code
 * pytorch_lora_weights.safetensors}, as {@code train-generator --lora-rank} writes it.
 */
public record LoraWeights(Path file, float scale) {

    public LoraWeights {
        if (file == null) {
            throw new InvalidRequestException("a LoRA needs a file");
        }
        if (!Float.isFinite(scale)) {
            throw new InvalidRequestException("LoRA scale must be a number, got " + scale);
        }
    }

    /** {@code FILE} or {@code FILE:SCALE} (the last colon splits, so paths may hold colons). */
    public static LoraWeights parse(String spec) {
        int colon = spec.lastIndexOf(':');
        if (colon > 0) {
            String tail = spec.substring(colon + 1);
            try {
                return new LoraWeights(Path.of(spec.substring(0, colon)), Float.parseFloat(tail));
            } catch (NumberFormatException e) {
                // Not a scale: the colon belongs to the path.
            }
        }
        return new LoraWeights(Path.of(spec), 1f);
    }

    /** The LoRAs as a sidecar's {@code loras} array: absolute file and scale each. */
    static JsonArray toJson(List<LoraWeights> loras) {
        JsonArray a = new JsonArray();
        for (LoraWeights l : loras) {
            JsonObject o = new JsonObject();
            o.addProperty("file", l.file().toAbsolutePath().normalize().toString());
            o.addProperty("scale", l.scale());
            a.add(o);
        }
        return a;
    }
}
