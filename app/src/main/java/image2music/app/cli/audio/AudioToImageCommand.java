package image2music.app.cli.audio;

import image2music.audio.Audio;
import image2music.audio.io.AudioFiles;
import image2music.audio.io.Resampler;
import image2music.audio.spectrogram.Spectrogram;
import image2music.audio.spectrogram.SpectrogramConverter;
import image2music.audio.spectrogram.SpectrogramImage;
import image2music.audio.spectrogram.SpectrogramImageIO;
import image2music.audio.spectrogram.SpectrogramParams;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code audio-to-image}: an audio file (or part of it) as a Riffusion spectrogram image. */
@Command(
        name = "audio-to-image",
        mixinStandardHelpOptions = true,
        description = "Audio to a Riffusion spectrogram image (PNG/JPEG).")
public final class AudioToImageCommand implements Callable<Integer> {

    /** The longest span rendered as one image: 10 min, 60,001 px wide. */
    static final int MAX_SECONDS = 600;

    @Spec CommandSpec spec;

    @Option(names = "--audio", required = true, paramLabel = "FILE", description = "Input audio.")
    Path audio;

    @Option(
            names = "--image",
            required = true,
            paramLabel = "FILE",
            description = "Output image, .png or .jpg.")
    Path image;

    @Option(
            names = "--start",
            paramLabel = "S",
            defaultValue = "0",
            description = "Seconds to skip first (default: ${DEFAULT-VALUE}).")
    double start;

    @Option(
            names = "--duration",
            paramLabel = "S",
            description = "Seconds to render (default: to the end).")
    Double duration;

    @Option(names = "--stereo", description = "Keep left and right (image G and B channels).")
    boolean stereo;

    @Override
    public Integer call() throws Exception {
        if (!Cli.isImagePath(image)) {
            throw new ParameterException(
                    spec.commandLine(), "--image must end in .png, .jpg or .jpeg: " + image);
        }
        Cli.refuseSameFile(spec, "--image", image, "--audio", audio);
        if (start < 0 || (duration != null && !(duration > 0))) {
            throw new ParameterException(
                    spec.commandLine(), "--start must be >= 0 and --duration > 0");
        }
        if (duration != null && duration > MAX_SECONDS) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--duration must be at most " + MAX_SECONDS + " s, got " + duration);
        }
        SpectrogramParams params = SpectrogramParams.defaults().withStereo(stereo);
        // Only the span is decoded (a slightly longer one without --duration, to tell a too-long
        // file), so a file of hours never has to fit in memory.
        double span = duration != null ? duration : MAX_SECONDS + 1;
        Audio read = AudioFiles.read(audio, start, span);
        if (read.frames() == 0) {
            if (start == 0) {
                throw new IllegalArgumentException(audio + ": no audio samples");
            }
            throw new IllegalArgumentException(
                    audio
                            + ": --start "
                            + start
                            + " s is past the end ("
                            + String.format("%.2f", AudioFiles.probe(audio).durationSeconds())
                            + " s)");
        }
        if (duration == null && read.durationSeconds() > MAX_SECONDS) {
            throw new IllegalArgumentException(
                    audio
                            + ": more than "
                            + MAX_SECONDS
                            + " s of audio from --start "
                            + start
                            + " s is too long for one image; pick a span with --duration"
                            + " (and --start)");
        }
        Audio part = Resampler.resample(read, params.sampleRate());
        Spectrogram s = new SpectrogramConverter(params).spectrogramFromAudio(part);
        SpectrogramImageIO.write(image, SpectrogramImage.fromSpectrogram(s), params, s.max());
        spec.commandLine()
                .getOut()
                .printf(
                        "wrote %s (%d x %d px, %.2f s)%n",
                        image, s.frames(), params.numFrequencies(), part.durationSeconds());
        return 0;
    }
}
