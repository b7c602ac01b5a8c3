package image2music.app.cli.generate;

import image2music.app.cli.EngineOptions;
import image2music.models.diffusion.pipeline.GenerationRequest;
import java.nio.file.Path;
import java.util.SplittableRandom;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options every generation verb shares: how the pipeline samples (steps, scheduler, negative
 * prompt), the clip width and the engine's threads. The pipeline folder is each verb's own option
 * ({@code --model}, or {@code --generator} beside a tagger).
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
            defaultValue = "50",
            description =
                    "Denoising steps (default: ${DEFAULT-VALUE}); with --strength, the last"
                            + " part of them runs.")
    int steps;

    @Option(
            names = "--width",
            paramLabel = "PX",
            description = "Pixels per clip, a multiple of 8 (512 px = 5.11 s; default: 512).")
    Integer width;

    @Option(
            names = "--scheduler",
            paramLabel = "NAME",
            description = "ddpm, ddim, pndm, euler, euler-a or dpm++ (default: the model's).")
    String scheduler;

    @Mixin EngineOptions engine;

    /** Pixels per clip: {@code --width}, or {@code fallback} when it is not given. */
    int width(int fallback) {
        return width != null ? width : fallback;
    }

    /** Pixels per clip: {@code --width}, or 512. */
    int width() {
        return width(GenerationRequest.DEFAULT_SIZE);
    }

    /** A folder or file as the JSON sidecars record it: absolute and normalised. */
    static String absolute(Path p) {
        return p.toAbsolutePath().normalize().toString();
    }

    /**
     * A request for {@code prompt} with these options.
     *
     * @throws IllegalArgumentException naming the value a request refuses
     */
    GenerationRequest request(String prompt, double guidance, long seed, int height, int batch) {
        return new GenerationRequest(
                prompt, negativePrompt, guidance, steps, seed, width(), height, scheduler, batch);
    }

    /** A seed for a run that was given none: non-negative and short enough to retype. */
    static long randomSeed() {
        return new SplittableRandom().nextLong() >>> 33;
    }
}
