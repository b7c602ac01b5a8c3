package image2music.app.cli.audio;

import image2music.audio.Audio;
import image2music.audio.io.WavWriter;
import image2music.audio.spectrogram.Spectrogram;
import image2music.audio.spectrogram.SpectrogramConverter;
import image2music.audio.spectrogram.SpectrogramImage;
import image2music.audio.spectrogram.SpectrogramImageIO;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.core.io.OutputLimits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code image-to-audio}: a spectrogram image back to a 16-bit WAV file. */
@Command(
        name = "image-to-audio",
        mixinStandardHelpOptions = true,
        description = "Riffusion spectrogram image to audio (16-bit WAV).")
public final class ImageToAudioCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--image", required = true, paramLabel = "FILE", description = "Input image.")
    Path image;

    @Option(names = "--audio", required = true, paramLabel = "FILE", description = "Output WAV.")
    Path audio;

    @Option(
            names = "--griffin-lim-iters",
            paramLabel = "N",
            defaultValue = "32",
            description = "Phase-recovery iterations (default: ${DEFAULT-VALUE}).")
    int iters;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "0",
            description = "Seed for the random phase of quiet bins (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--force",
            description =
                    "Write the WAV even when it would be longer than an hour or larger than 1 GiB"
                            + " (what the image's width and EXIF parameters make).")
    boolean force;

    @Override
    public Integer call() throws Exception {
        if (iters < 0) {
            throw new ParameterException(spec.commandLine(), "--griffin-lim-iters must be >= 0");
        }
        if (!Cli.hasExtension(audio, ".wav")) {
            throw new ParameterException(spec.commandLine(), "--audio must end in .wav: " + audio);
        }
        Cli.refuseSameFile(spec, "--audio", audio, "--image", image);
        SpectrogramImageIO.Loaded loaded = SpectrogramImageIO.read(image);
        SpectrogramParams params = loaded.params().withGriffinLimIters(iters);
        OutputLimits.checkWav(
                audio,
                (double) loaded.image().getWidth() * params.hopLength() / params.sampleRate(),
                params.sampleRate(),
                params.channels(),
                image + "'s width and EXIF parameters",
                force);
        Spectrogram s;
        try {
            s = SpectrogramImage.toSpectrogram(loaded.image(), params, loaded.maxValueOrDefault());
        } catch (IllegalArgumentException e) {
            throw new IOException(image + ": " + e.getMessage(), e);
        }
        Audio out = new SpectrogramConverter(params).audioFromSpectrogram(s, seed);
        WavWriter.write(audio, out);
        spec.commandLine()
                .getOut()
                .printf(
                        "wrote %s (%.2f s, %d channel%s, %d Hz)%n",
                        audio,
                        out.durationSeconds(),
                        out.channelCount(),
                        out.channelCount() == 1 ? "" : "s",
                        out.sampleRate());
        return 0;
    }
}
