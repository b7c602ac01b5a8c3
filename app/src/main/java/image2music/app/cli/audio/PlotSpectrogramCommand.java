package image2music.app.cli.audio;

import image2music.app.plot.ColorMap;
import image2music.app.plot.SpectrogramPlot;
import image2music.audio.Audio;
import image2music.audio.io.AudioFiles;
import image2music.audio.io.Resampler;
import image2music.audio.spectrogram.Spectrogram;
import image2music.audio.spectrogram.SpectrogramConverter;
import image2music.audio.spectrogram.SpectrogramImage;
import image2music.audio.spectrogram.SpectrogramImageIO;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.core.io.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code plot-spectrogram}: a labelled, colour-mapped picture of an image's or audio's mel. */
@Command(
        name = "plot-spectrogram",
        mixinStandardHelpOptions = true,
        description = "Plot a spectrogram with axes in Hz and seconds.")
public final class PlotSpectrogramCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--image", paramLabel = "FILE", description = "A spectrogram image.")
        Path image;

        @Option(names = "--audio", paramLabel = "FILE", description = "An audio file.")
        Path audio;
    }

    @Option(names = "--out", required = true, paramLabel = "PNG", description = "Output plot.")
    Path out;

    @Option(
            names = "--colormap",
            paramLabel = "NAME",
            defaultValue = "MAGMA",
            description = "MAGMA or VIRIDIS (default: ${DEFAULT-VALUE}).")
    ColorMap colorMap;

    @Override
    public Integer call() throws Exception {
        if (!Cli.hasExtension(out, ".png")) {
            throw new ParameterException(spec.commandLine(), "--out must end in .png: " + out);
        }
        Cli.refuseSameFile(spec, "--out", out, "--image", input.image);
        Cli.refuseSameFile(spec, "--out", out, "--audio", input.audio);
        Spectrogram s;
        Path source;
        if (input.image != null) {
            source = input.image;
            SpectrogramImageIO.Loaded loaded = SpectrogramImageIO.read(source);
            try {
                s =
                        SpectrogramImage.toSpectrogram(
                                loaded.image(), loaded.params(), loaded.maxValueOrDefault());
            } catch (IllegalArgumentException e) {
                throw new IOException(source + ": " + e.getMessage(), e);
            }
        } else {
            source = input.audio;
            SpectrogramParams p = SpectrogramParams.defaults();
            Audio a = Resampler.resample(AudioFiles.read(source), p.sampleRate());
            s = new SpectrogramConverter(p).spectrogramFromAudio(a);
        }
        String title =
                source.getFileName()
                        + String.format(
                                "  (%d mel bins, %d-%d Hz, %.2f s)",
                                s.params().numFrequencies(),
                                s.params().minFrequency(),
                                s.params().maxFrequency(),
                                (s.frames() - 1) * s.params().stepSizeMs() / 1000.0);
        BufferedImage plot = SpectrogramPlot.render(s, title, colorMap);
        AtomicFiles.write(
                out,
                o -> {
                    if (!ImageIO.write(plot, "png", o)) {
                        throw new IOException(out + ": no PNG writer");
                    }
                });
        spec.commandLine().getOut().printf("wrote %s%n", out);
        return 0;
    }
}
