package image2music.app.cli.generate;

import picocli.CommandLine.Option;

/**
 * The {@code --overlap} option of the verbs that work clip by clip (long-form {@code text-to-audio}
 * and {@code image-to-music}, {@code audio-to-audio}); the application layer turns it into pixels
 * on the model's latent grid.
 */
public final class OverlapOptions {

    @Option(
            names = "--overlap",
            paramLabel = "S",
            description =
                    "Seconds shared by consecutive clips, rounded to the model's latent grid"
                            + " (default: a quarter of --width, 1.28 s at 512 px).")
    Double seconds;
}
