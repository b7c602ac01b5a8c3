package image2music.models.vit;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Everything that decides a {@link TaggerTrainer} run; written beside every checkpoint so a run can
 * be reproduced.
 *
 * @param epochs passes over the training images
 * @param batchSize images per optimiser step (the last batch of an epoch may be smaller)
 * @param learningRate peak learning rate of the warm-up + cosine schedule
 * @param warmupRatio fraction of all steps spent warming up linearly from 0
 * @param weightDecay AdamW's decoupled weight decay
 * @param maxGradNorm global gradient norm above which gradients are scaled down
 * @param seed run seed: initial weights, shuffling, augmentation and each step's dropout derive
 *     from it
 * @param singleLabel softmax + cross-entropy (one label per image) instead of sigmoid + BCE
 * @param init a HF ViT folder (backbone or classifier) to start from, or null to start from scratch
 *     with the architecture fields below
 * @param imageSize input side in pixels (from scratch; with {@code init} the folder's)
 * @param patchSize patch side (from scratch)
 * @param hiddenSize transformer width (from scratch)
 * @param numLayers encoder layers (from scratch)
 * @param numHeads attention heads (from scratch)
 * @param dropout hidden and attention dropout (from scratch)
 * @param checkpointEvery steps between checkpoints (0: only at epoch ends)
 * @param keepCheckpoints how many {@code checkpoint-<step>} folders to keep (newest)
 * @param logEvery steps between step lines in metrics.jsonl
 * @param maxSteps stop after this many steps in all (0: no limit); the schedule still spans all
 *     epochs, so a later {@code --resume} continues it
 * @param selectBy the validation metric that picks {@code best}: {@code map} or {@code micro_f1}
 * @param threshold probability from which a multi-label prediction counts as positive
 */
public record TrainingConfig(
        int epochs,
        int batchSize,
        double learningRate,
        double warmupRatio,
        double weightDecay,
        double maxGradNorm,
        long seed,
        boolean singleLabel,
        Path init,
        int imageSize,
        int patchSize,
        int hiddenSize,
        int numLayers,
        int numHeads,
        float dropout,
        int checkpointEvery,
        int keepCheckpoints,
        int logEvery,
        long maxSteps,
        String selectBy,
        float threshold) {

    public static final String MAP = "map";
    public static final String MICRO_F1 = "micro_f1";

    public TrainingConfig {
        if (epochs < 1 || batchSize < 1) {
            throw new IllegalArgumentException(
                    "epochs and batch size must be >= 1, got " + epochs + " and " + batchSize);
        }
        if (!(learningRate > 0) || !(warmupRatio >= 0 && warmupRatio < 1)) {
            throw new IllegalArgumentException(
                    "Bad learning rate " + learningRate + " or warm-up ratio " + warmupRatio);
        }
        if (checkpointEvery < 0 || keepCheckpoints < 1 || logEvery < 1 || maxSteps < 0) {
            throw new IllegalArgumentException(
                    "Bad checkpoint-every "
                            + checkpointEvery
                            + ", keep "
                            + keepCheckpoints
                            + ", log-every "
                            + logEvery
                            + " or max-steps "
                            + maxSteps);
        }
        if (!MAP.equals(selectBy) && !MICRO_F1.equals(selectBy)) {
            throw new IllegalArgumentException(
                    "select-by must be map or micro_f1, got '" + selectBy + "'");
        }
    }

    /**
     * Defaults: 10 epochs of 16 images, lr 3e-4 with 10 % warm-up, weight decay 0.01, clipping at
     * 1, seed 42, multi-label, from scratch as a small ViT (224 px, patch 16, width 192, 6 layers,
     * 3 heads, no dropout), checkpoints every 500 steps keeping 3, log every 10 steps, best by mAP,
     * threshold 0.5.
     */
    public static TrainingConfig defaults() {
        return new TrainingConfig(
                10, 16, 3e-4, 0.1, 0.01, 1.0, 42, false, null, 224, 16, 192, 6, 3, 0f, 500, 3, 10,
                0, MAP, 0.5f);
    }

    /** The problem type written to config.json. */
    public String problemType() {
        return singleLabel ? ViTConfig.SINGLE_LABEL : ViTConfig.MULTI_LABEL;
    }

    /** The architecture a from-scratch run builds, for {@code labels}. */
    public ViTConfig scratchModel(java.util.List<String> labels) {
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

    /** The config as a JSON object (snake_case keys). */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("epochs", epochs);
        o.addProperty("batch_size", batchSize);
        o.addProperty("learning_rate", learningRate);
        o.addProperty("warmup_ratio", warmupRatio);
        o.addProperty("weight_decay", weightDecay);
        o.addProperty("max_grad_norm", maxGradNorm);
        o.addProperty("seed", seed);
        o.addProperty("single_label", singleLabel);
        o.addProperty("init", init == null ? null : init.toString());
        o.addProperty("image_size", imageSize);
        o.addProperty("patch_size", patchSize);
        o.addProperty("hidden_size", hiddenSize);
        o.addProperty("num_layers", numLayers);
        o.addProperty("num_heads", numHeads);
        o.addProperty("dropout", dropout);
        o.addProperty("checkpoint_every", checkpointEvery);
        o.addProperty("keep_checkpoints", keepCheckpoints);
        o.addProperty("log_every", logEvery);
        o.addProperty("max_steps", maxSteps);
        o.addProperty("select_by", selectBy);
        o.addProperty("threshold", threshold);
        return o;
    }
}
