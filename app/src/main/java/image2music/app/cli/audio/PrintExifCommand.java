package image2music.app.cli.audio;

import image2music.audio.spectrogram.SpectrogramExif;
import image2music.audio.spectrogram.SpectrogramImageIO;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code print-exif}: the spectrogram parameters an image carries, one {@code NAME = value}. */
@Command(
        name = "print-exif",
        mixinStandardHelpOptions = true,
        description = "Print an image's spectrogram EXIF tags.")
public final class PrintExifCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--image", required = true, paramLabel = "FILE", description = "Input image.")
    Path image;

    @Override
    public Integer call() throws Exception {
        // Reading the image first makes a file that is no image an error, not "no tags".
        SpectrogramImageIO.read(image);
        Map<SpectrogramExif.Tag, Number> tags = SpectrogramImageIO.readTags(image);
        PrintWriter out = spec.commandLine().getOut();
        if (tags.isEmpty()) {
            spec.commandLine()
                    .getErr()
                    .println(image + ": no spectrogram EXIF tags (readers use the defaults)");
            return 0;
        }
        tags.forEach((tag, value) -> out.println(tag.name() + " = " + Cli.number(value)));
        out.flush();
        return 0;
    }
}
