package image2music.app.cli.generate;

import image2music.pipeline.AudioToAudioRequest;
import image2music.pipeline.AudioToAudioService;
import image2music.pipeline.Span;
import image2music.pipeline.progress.Cancellation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code audio-to-audio}: restyles music with a prompt (img2img on its spectrogram), window by
 * window so input of any length comes back at its length, optionally only where a mask is white.
 * Writes {@code X.wav}, {@code X.png} and {@code X.json} once everything is done ({@link
 * AudioToAudioService}).
 */
@Command(
        name = "audio-to-audio",
        mixinStandardHelpOptions = true,
        description = {
            "Restyles audio (or a spectrogram image) with a prompt: its spectrogram is encoded,"
                    + " noised to --strength and denoised toward the prompt, window by window with"
                    + " overlapping, cross-faded windows, so a 30 s track comes back as 30 s.",
            "With --mask (white = regenerate, the input spectrogram's size) only the white"
                    + " pixels change; every other pixel is kept exactly."
        })
public final class AudioToAudioCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin ModelPromptOptions generator;

    /** Where the music comes from: one of the two. */
    static final class Input {
        @Option(
                names = "--audio",
                required = true,
                paramLabel = "FILE",
                description = "Input audio (WAV, MP3, FLAC, OGG, M4A, …).")
        Path audio;

        @Option(
                names = "--image",
                required = true,
                paramLabel = "PNG",
                description = "Input spectrogram image (Riffusion format, EXIF parameters).")
        Path image;
    }

    @ArgGroup(multiplicity = "1")
    Input input;

    @Mixin WavOutOptions output;

    @Option(
            names = "--strength",
            paramLabel = "X",
            defaultValue = "" + AudioToAudioRequest.DEFAULT_STRENGTH,
            description =
                    "How far the input is noised, 0 (kept) to 1 (regenerated from scratch);"
                            + " only the last X of the --steps run (default: ${DEFAULT-VALUE}).")
    double strength;

    @Option(
            names = "--mask",
            paramLabel = "PNG",
            description = "Regenerate only the mask's white pixels (same size as the input image).")
    Path mask;

    @Option(
            names = "--mask-seconds",
            paramLabel = "FROM:TO",
            converter = SpanConverter.class,
            description =
                    "Regenerate only this time span of the input (with --mask-hz: only the band"
                            + " within it); instead of drawing a --mask.")
    Span maskSeconds;

    @Option(
            names = "--mask-hz",
            paramLabel = "LOW:HIGH",
            converter = SpanConverter.class,
            description =
                    "Regenerate only the mel rows reaching into this frequency band (with"
                            + " --mask-seconds: only within that span).")
    Span maskHz;

    @Mixin OverlapOptions overlap;

    @Option(
            names = "--force",
            description =
                    "Write the result even when it would be longer than an hour or larger than 1"
                            + " GiB (as long as the input).")
    boolean force;

    @Mixin DiffusionOptions diffusion;

    @Mixin GuidanceOptions sampling;

    @Override
    public Integer call() throws IOException {
        AudioToAudioRequest request =
                new AudioToAudioRequest(
                        generator.model,
                        input.audio != null ? input.audio : input.image,
                        input.audio == null,
                        generator.prompt,
                        sampling.guidance,
                        sampling.seed(),
                        diffusion.settings(),
                        strength,
                        mask,
                        maskSeconds,
                        maskHz,
                        overlap.seconds,
                        output.out,
                        force);
        diffusion.engine.start();
        try (ProgressPrinter progress =
                new ProgressPrinter(spec.commandLine().getOut(), spec.commandLine().getErr())) {
            new AudioToAudioService(progress, new Cancellation()).run(request);
        }
        return 0;
    }
}
