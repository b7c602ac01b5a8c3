package image2music.app.cli.generate;

import image2music.pipeline.DiffusionSettings;
import picocli.CommandLine.Option;

/** Guidance scale and seed of the verbs that generate from one prompt. */
public final class GuidanceOptions {

    @Option(
            names = "--guidance",
            paramLabel = "SCALE",
            defaultValue = "" + DiffusionSettings.DEFAULT_GUIDANCE,
            description = "Classifier-free guidance scale; 1 skips it (default: ${DEFAULT-VALUE}).")
    double guidance;

    @Option(
            names = "--seed",
            paramLabel = "N",
            description = "Seed (default: random, recorded in the JSON).")
    Long seed;

    /** {@code --seed}, or a random one. */
    long seed() {
        return seed != null ? seed : DiffusionOptions.randomSeed();
    }
}
