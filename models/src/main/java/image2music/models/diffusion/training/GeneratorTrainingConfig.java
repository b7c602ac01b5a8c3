package image2music.models.diffusion.training;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import image2music.models.train.LrSchedule;
import image2music.models.train.TrainingArguments;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Everything that decides a generator training run beside the shared {@link TrainingArguments};
 * written into every checkpoint's provenance so a run can be reproduced and a resume checked.
 *
 * @param train optimiser, schedule, steps, checkpoints, EMA, seed
 * @param init the diffusers pipeline folder to fine-tune (its VAE stays frozen), or null with a
 *     preset
 * @param preset the architecture to train from scratch instead of {@code init}, or null
 * @param loraRank LoRA rank on the UNet's attention projections, or 0 to train the whole UNet
 * @param loraAlpha LoRA's alpha (update scale = alpha / rank)
 * @param trainTextEncoder train the text encoder with the UNet (all of it, or LoRA adapters on its
 *     attention projections when {@code loraRank > 0}) instead of keeping it frozen
 * @param snrGamma Min-SNR-γ weighting, 0 for none
 * @param noiseOffset per-channel noise offset, 0 for none
 * @param predictionType {@code epsilon}, {@code v_prediction} or null for the scheduler's own
 * @param width training window along time, in pixels (a multiple of the model's size factor; the
 *     frequency axis is always the images' full height)
 * @param centreCrop centre windows instead of random ones
 * @param captionDropout probability of training a sample on the empty caption, so that
 *     classifier-free guidance has an unconditional model to steer from
 * @param validationPrompts prompts drawn every {@code validate_every} steps and at the end (empty:
 *     none)
 * @param validationSteps denoising steps of a validation image
 * @param validationGuidance guidance scale of a validation image
 */
public record GeneratorTrainingConfig(
        TrainingArguments train,
        Path init,
        GeneratorPreset preset,
        int loraRank,
        float loraAlpha,
        boolean trainTextEncoder,
        double snrGamma,
        double noiseOffset,
        String predictionType,
        int width,
        boolean centreCrop,
        double captionDropout,
        List<String> validationPrompts,
        int validationSteps,
        double validationGuidance) {

    public static final double DEFAULT_CAPTION_DROPOUT = 0.1;
    public static final int DEFAULT_LORA_RANK = 4;
    public static final int DEFAULT_WIDTH = 512;

    /** A preset's window: 1.28 s, enough for a mood's texture at a fraction of the cost. */
    public static final int DEFAULT_PRESET_WIDTH = 128;

    public static final int DEFAULT_VALIDATION_STEPS = 25;
    public static final double DEFAULT_VALIDATION_GUIDANCE = 7.0;

    public GeneratorTrainingConfig {
        if ((init == null) == (preset == null)) {
            throw new IllegalArgumentException(
                    "give either a pipeline folder to fine-tune or a preset to train from scratch");
        }
        if (preset != null && loraRank > 0) {
            throw new IllegalArgumentException(
                    "LoRA adapts a trained model: a preset trains its whole UNet from scratch");
        }
        if (loraRank < 0) {
            throw new IllegalArgumentException("LoRA rank must be ≥ 0, got " + loraRank);
        }
        if (loraRank > 0 && !(loraAlpha > 0)) {
            throw new IllegalArgumentException("LoRA alpha must be > 0, got " + loraAlpha);
        }
        if (!(captionDropout >= 0 && captionDropout < 1)) {
            throw new IllegalArgumentException(
                    "caption dropout must be in [0, 1), got " + captionDropout);
        }
        if (width <= 0) {
            throw new IllegalArgumentException("width must be > 0, got " + width);
        }
        if (validationSteps < 1) {
            throw new IllegalArgumentException(
                    "validation steps must be ≥ 1, got " + validationSteps);
        }
        validationPrompts = List.copyOf(validationPrompts);
    }

    /**
     * The shared arguments' defaults for a generator, after diffusers' {@code
     * train_text_to_image.py}: learning rate 1e-4 held constant, clipping at norm 1, weight decay
     * 1e-2, checkpoints and validation every 500 steps (and validation of the finished model);
     * batch 4 and 100 epochs suit a small CPU run.
     */
    public static TrainingArguments defaultArguments() {
        return TrainingArguments.builder()
                .epochs(100)
                .batchSize(4)
                .learningRate(1e-4)
                .lrSchedule(LrSchedule.Decay.CONSTANT)
                .warmupRatio(0)
                .weightDecay(1e-2)
                .maxGradNorm(1)
                .checkpointEvery(500)
                .validateEvery(500)
                .logEvery(10)
                .build();
    }

    /** The settings as one JSON object (the shared arguments' keys plus this record's). */
    public JsonObject toJson() {
        JsonObject o = train.toJson();
        if (init != null) {
            o.addProperty("init", init.toAbsolutePath().normalize().toString());
        } else {
            o.addProperty("preset", preset.name().toLowerCase(Locale.ROOT));
        }
        o.addProperty("lora_rank", loraRank);
        o.addProperty("lora_alpha", loraAlpha);
        o.addProperty("train_text_encoder", trainTextEncoder);
        o.addProperty("snr_gamma", snrGamma);
        o.addProperty("noise_offset", noiseOffset);
        o.addProperty("prediction_type", predictionType);
        o.addProperty("width", width);
        o.addProperty("center_crop", centreCrop);
        o.addProperty("caption_dropout", captionDropout);
        JsonArray prompts = new JsonArray();
        validationPrompts.forEach(prompts::add);
        o.add("validation_prompts", prompts);
        o.addProperty("validation_steps", validationSteps);
        o.addProperty("validation_guidance", validationGuidance);
        return o;
    }
}
