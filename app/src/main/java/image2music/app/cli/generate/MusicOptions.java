package image2music.app.cli.generate;

import image2music.pipeline.MusicSettings;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options {@code text-to-audio} and {@code image-to-music} share: where the results go, how
 * many, how long, and how the generator samples.
 */
public final class MusicOptions {

    @Mixin WavOutOptions output;

    @Option(
            names = "--batch",
            paramLabel = "N",
            defaultValue = "" + MusicSettings.DEFAULT_BATCH,
            description = "Results to make, seeds seed, seed+1, … (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(
            names = "--seconds",
            paramLabel = "S",
            description =
                    "Length of each result; longer than one clip of --width makes one continuous"
                            + " piece of clips, each continuing the last (default: one clip).")
    Double seconds;

    @Option(
            names = "--force",
            description =
                    "Write results longer than an hour or larger than 1 GiB per WAV too (refused"
                            + " otherwise, saying what they would be).")
    boolean force;

    @Mixin OverlapOptions overlap;

    @Mixin DiffusionOptions diffusion;

    @Mixin GuidanceOptions sampling;

    /**
     * These options for the generator {@code model}.
     *
     * @throws image2music.pipeline.InvalidRequestException naming the option a request refuses
     */
    MusicSettings settings(Path model) {
        return new MusicSettings(
                model,
                sampling.guidance,
                sampling.seed(),
                diffusion.settings(),
                batch,
                seconds,
                overlap.seconds,
                output.out,
                force);
    }
}
