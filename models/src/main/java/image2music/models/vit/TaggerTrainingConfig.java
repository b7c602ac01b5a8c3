package image2music.models.vit;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import image2music.models.train.TrainingArguments;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything that decides a {@link TaggerTrainer} run: the shared {@link TrainingArguments} plus
 * the ViT's own fields; written (flat, snake_case) beside every checkpoint so a run can be
 * reproduced. Defaults live in {@link Builder}'s field initialisers and in {@link
 * TrainingArguments.Builder}.
 *
 * @param training what every trainer shares (epochs, batch size, schedule, checkpoints, seed…)
 * @param singleLabel softmax + cross-entropy (one label per image) instead of sigmoid + BCE
 * @param init a HF ViT folder (backbone or classifier) to start from, or null to start from scratch
 *     with the architecture fields below
 * @param imageSize input side in pixels (from scratch; with {@code init} the folder's)
 * @param patchSize patch side (from scratch)
 * @param hiddenSize transformer width (from scratch)
 * @param numLayers encoder layers (from scratch)
 * @param numHeads attention heads (from scratch)
 * @param dropout hidden and attention dropout (from scratch)
 * @param selectBy the validation metric that picks {@code best}: {@code map} or {@code micro_f1}
 * @param threshold probability from which a multi-label prediction counts as positive
 */
public record TaggerTrainingConfig(
        TrainingArguments training,
        boolean singleLabel,
        Path init,
        int imageSize,
        int patchSize,
        int hiddenSize,
        int numLayers,
        int numHeads,
        float dropout,
        String selectBy,
        float threshold) {

    public static final String MAP = "map";
    public static final String MICRO_F1 = "micro_f1";

    public TaggerTrainingConfig {
        if (training == null) {
            throw new IllegalArgumentException("training arguments are required");
        }
        if (!MAP.equals(selectBy) && !MICRO_F1.equals(selectBy)) {
            throw new IllegalArgumentException(
                    "select-by must be map or micro_f1, got '" + selectBy + "'");
        }
    }

    /** The defaults: a small ViT from scratch, multi-label, best by mAP (see {@link Builder}). */
    public static TaggerTrainingConfig defaults() {
        return builder().build();
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The problem type written to config.json. */
    public String problemType() {
        return singleLabel ? ViTConfig.SINGLE_LABEL : ViTConfig.MULTI_LABEL;
    }

    /** The architecture a from-scratch run builds, for {@code labels}. */
    public ViTConfig scratchModel(List<String> labels) {
        return new ViTConfig(
                hiddenSize,
                numLayers,
                numHeads,
                4 * hiddenSize,
                "gelu",
                dropout,
                dropout,
                0.02f,
                1e-12f,
                imageSize,
                patchSize,
                3,
                true,
                patchSize,
                labels,
                problemType(),
                null);
    }

    /**
     * The preprocessing the model will see at tagging time, which training data must use too: the
     * init folder's (its preprocessor_config.json, else its image size with HF's defaults) or HF's
     * defaults at {@code imageSize}.
     */
    public ImageProcessorConfig preprocessing() throws IOException {
        if (init == null) {
            return ImageProcessorConfig.defaults(imageSize);
        }
        return ImageProcessorConfig.forModel(
                init, ViTConfig.read(init.resolve(ViTCheckpoints.CONFIG)));
    }

    /** The config as one flat JSON object: the shared arguments' keys and the ViT's. */
    public JsonObject toJson() {
        JsonObject o = training.toJson();
        o.addProperty("single_label", singleLabel);
        o.addProperty("init", init == null ? null : init.toString());
        o.addProperty("image_size", imageSize);
        o.addProperty("patch_size", patchSize);
        o.addProperty("hidden_size", hiddenSize);
        o.addProperty("num_layers", numLayers);
        o.addProperty("num_heads", numHeads);
        o.addProperty("dropout", dropout);
        o.addProperty("select_by", selectBy);
        o.addProperty("threshold", threshold);
        return o;
    }

    /**
     * Reads {@link #toJson}'s form; absent keys take the defaults, unknown keys are kept in the
     * training arguments' extra keys.
     */
    public static TaggerTrainingConfig fromJson(JsonObject o) {
        Builder b = builder();
        JsonObject rest = new JsonObject();
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            JsonElement v = e.getValue();
            switch (e.getKey()) {
                case "single_label" -> b.singleLabel(v.getAsBoolean());
                case "init" -> b.init(v.isJsonNull() ? null : Path.of(v.getAsString()));
                case "image_size" -> b.imageSize(v.getAsInt());
                case "patch_size" -> b.patchSize(v.getAsInt());
                case "hidden_size" -> b.hiddenSize(v.getAsInt());
                case "num_layers" -> b.numLayers(v.getAsInt());
                case "num_heads" -> b.numHeads(v.getAsInt());
                case "dropout" -> b.dropout(v.getAsFloat());
                case "select_by" -> b.selectBy(v.getAsString());
                case "threshold" -> b.threshold(v.getAsFloat());
                default -> rest.add(e.getKey(), v.deepCopy());
            }
        }
        return b.training(TrainingArguments.fromJson(rest)).build();
    }

    /**
     * Builds {@link TaggerTrainingConfig}; its field initialisers are the ViT defaults: from
     * scratch, multi-label, 224 px, patch 16, width 192, 6 layers, 3 heads, no dropout, best by
     * mAP, threshold 0.5; the shared arguments default to {@link TrainingArguments#defaults()}.
     */
    public static final class Builder {
        private TrainingArguments training = TrainingArguments.defaults();
        private boolean singleLabel = false;
        private Path init = null;
        private int imageSize = 224;
        private int patchSize = 16;
        private int hiddenSize = 192;
        private int numLayers = 6;
        private int numHeads = 3;
        private float dropout = 0f;
        private String selectBy = MAP;
        private float threshold = 0.5f;

        private Builder() {}

        private Builder(TaggerTrainingConfig c) {
            training = c.training;
            singleLabel = c.singleLabel;
            init = c.init;
            imageSize = c.imageSize;
            patchSize = c.patchSize;
            hiddenSize = c.hiddenSize;
            numLayers = c.numLayers;
            numHeads = c.numHeads;
            dropout = c.dropout;
            selectBy = c.selectBy;
            threshold = c.threshold;
        }

        public Builder training(TrainingArguments v) {
            training = v;
            return this;
        }

        public Builder singleLabel(boolean v) {
            singleLabel = v;
            return this;
        }

        public Builder init(Path v) {
            init = v;
            return this;
        }

        public Builder imageSize(int v) {
            imageSize = v;
            return this;
        }

        public Builder patchSize(int v) {
            patchSize = v;
            return this;
        }

        public Builder hiddenSize(int v) {
            hiddenSize = v;
            return this;
        }

        public Builder numLayers(int v) {
            numLayers = v;
            return this;
        }

        public Builder numHeads(int v) {
            numHeads = v;
            return this;
        }

        public Builder dropout(float v) {
            dropout = v;
            return this;
        }

        public Builder selectBy(String v) {
            selectBy = v;
            return this;
        }

        public Builder threshold(float v) {
            threshold = v;
            return this;
        }

        /** The config, checked. */
        public TaggerTrainingConfig build() {
            return new TaggerTrainingConfig(
                    training,
                    singleLabel,
                    init,
                    imageSize,
                    patchSize,
                    hiddenSize,
                    numLayers,
                    numHeads,
                    dropout,
                    selectBy,
                    threshold);
        }
    }
}
