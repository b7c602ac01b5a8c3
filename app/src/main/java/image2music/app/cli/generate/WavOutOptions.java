package image2music.app.cli.generate;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --out X.wav} of the verbs that write one result (or a numbered batch) of files. */
public final class WavOutOptions {

    @Option(
            names = "--out",
            required = true,
            paramLabel = "FILE",
            description = "Output WAV (X.wav; X.png and X.json are written beside it).")
    Path out;
}
