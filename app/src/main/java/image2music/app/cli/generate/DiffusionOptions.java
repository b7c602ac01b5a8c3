package image2music.app.cli.generate;

import image2music.app.cli.EngineOptions;
import image2music.pipeline.DiffusionSettings;
import image2music.pipeline.LoraWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options every generation verb shares: how the pipeline samples (steps, scheduler, negative
 * prompt), the clip width and the engine's threads. Defaults come from {@link DiffusionSettings}.
 * The pipeline folder is each verb's own option ({@code --model}, or {@code --generator} beside a
 * tagger).
 */
public final class DiffusionOptions {

    @Option(
            names = "--negative-prompt",
            paramLabel = "TEXT",
            defaultValue = "",
            description = "What guidance steers away from (default: nothing).")
    String negativePrompt;

    @Option(
            names = "--steps",
            paramLabel = "N",
            defaultValue = "" + DiffusionSettings.DEFAULT_STEPS,
            description = "Denoising steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(
            names = "--width",
            paramLabel = "PX",
            description =
                    "Pixels per clip, a multiple of 8 (512 px = 5.11 s; default: "
                            + DiffusionSettings.DEFAULT_WIDTH
                            + ").")
    Integer width;

    @Option(
            names = "--scheduler",
            paramLabel = "NAME",
            description = "ddpm, ddim, pndm, euler, euler-a or dpm++ (default: the model's).")
    String scheduler;

    @Option(
            names = "--lora",
            paramLabel = "FILE[:SCALE]",
            description =
                    "A LoRA (pytorch_lora_weights.safetensors, e.g. from train-generator"
                            + " --lora-rank) merged into the model at SCALE (default 1);"
                            + " repeatable.")
    List<String> loras = new ArrayList<>();

    @Mixin EngineOptions engine;

    /** These options as the application layer's settings. */
    DiffusionSettings settings() {
        return new DiffusionSettings(
                negativePrompt,
                steps,
                width,
                scheduler,
                loras.stream().map(LoraWeights::parse).toList());
    }

    /** A seed for a run that was given none: non-negative and short enough to retype. */
    static long randomSeed() {
        return new SplittableRandom().nextLong() >>> 33;
    }
}
