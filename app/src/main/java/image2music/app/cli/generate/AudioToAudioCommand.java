package image2music.app.cli.generate;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import image2music.pipeline.MusicPiece;
import image2music.audio.Audio;
import image2music.audio.io.AudioFiles;
import image2music.audio.spectrogram.SpectrogramConverter;
import image2music.audio.spectrogram.SpectrogramImage;
import image2music.audio.spectrogram.SpectrogramImageIO;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.models.diffusion.guidance.InpaintMask;
import image2music.models.diffusion.guidance.Strength;
import image2music.models.diffusion.longform.LongformGenerator;
import image2music.models.diffusion.longform.LongformResult;
import image2music.models.diffusion.pipeline.GenerationRequest;
import image2music.models.diffusion.pipeline.PipelineFolder;
import image2music.models.diffusion.pipeline.StableDiffusionPipeline;
import image2music.models.nn.Engines;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code audio-to-audio}: restyles music with a prompt (img2img on its spectrogram), window by
 * window so input of any length comes back at its length, optionally only where a mask is white.
 * Writes {@code X.wav}, {@code X.png} and {@code X.json} once everything is done.
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

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Pipeline.")
    Path model;

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

    @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "Prompt.")
    String prompt;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "FILE",
            description = "Output WAV (X.wav; X.png and X.json are written beside it).")
    Path out;

    @Option(
            names = "--strength",
            paramLabel = "X",
            defaultValue = "0.5",
            description =
                    "How far the input is noised, 0 (kept) to 1 (regenerated from scratch)"
                            + " (default: ${DEFAULT-VALUE}).")
    double strength;

    @Option(
            names = "--mask",
            paramLabel = "PNG",
            description = "Regenerate only the mask's white pixels (same size as the input image).")
    Path mask;

    @Option(
            names = "--mask-seconds",
            paramLabel = "FROM:TO",
            converter = Span.Converter.class,
            description =
                    "Regenerate only this time span of the input (with --mask-hz: only the band"
                            + " within it); instead of drawing a --mask.")
    Span maskSeconds;

    @Option(
            names = "--mask-hz",
            paramLabel = "LOW:HIGH",
            converter = Span.Converter.class,
            description =
                    "Regenerate only the mel rows reaching into this frequency band (with"
                            + " --mask-seconds: only within that span).")
    Span maskHz;

    @Mixin OverlapOptions overlap;

    @Mixin DiffusionOptions diffusion;

    @Mixin GuidanceOptions sampling;

    @Override
    public Integer call() throws IOException {
        if (!ResultFiles.isWav(out)) {
            throw new ParameterException(spec.commandLine(), "--out must end in .wav: " + out);
        }
        // Not a usage error: a wrong value, reported in one line like a wrong file.
        if (!(strength >= 0 && strength <= 1)) {
            throw new IllegalArgumentException("--strength must be in [0, 1], got " + strength);
        }
        long start = System.nanoTime();
        // Input and mask are read first: a bad file fails before the model loads.
        SpectrogramParams params;
        BufferedImage image;
        if (input.audio != null) {
            params = SpectrogramParams.defaults();
            Audio audio = AudioFiles.readMono(input.audio, params.sampleRate());
            if (audio.frames() == 0) {
                throw new IllegalArgumentException(input.audio + ": no audio samples");
            }
            image =
                    SpectrogramImage.fromSpectrogram(
                            new SpectrogramConverter(params).spectrogramFromAudio(audio));
        } else {
            SpectrogramImageIO.Loaded loaded = SpectrogramImageIO.read(input.image);
            params = loaded.params();
            image = loaded.image();
            if (image.getHeight() != params.numFrequencies()) {
                throw new IllegalArgumentException(
                        input.image
                                + ": image is "
                                + image.getHeight()
                                + " px tall, its spectrogram parameters have "
                                + params.numFrequencies()
                                + " mel bins");
            }
        }
        InpaintMask regenerate = readMask(image.getWidth(), image.getHeight(), params);
        double readSeconds = seconds(start);
        GenerationRequest request;
        try {
            request =
                    diffusion.request(
                            prompt, sampling.guidance, sampling.seed(), params.numFrequencies(), 1);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        diffusion.engine.start();
        ResultFiles result;
        long loadStart = System.nanoTime();
        try (NDManager m = Engines.newManager();
                StableDiffusionPipeline pipeline = PipelineFolder.load(model, m)) {
            double loadSeconds = seconds(loadStart);
            int overlapPx = overlap.pixels(request.width(), pipeline.pixelsPerLatent(), params);
            LongformGenerator generator = new LongformGenerator(pipeline, params);
            int windows =
                    generator.windowPlan(image.getWidth(), request.width(), overlapPx).clipCount();
            LongformResult piece;
            try (StepProgressBars bars = new StepProgressBars(windows, "window")) {
                piece =
                        generator.restyle(
                                request,
                                image,
                                new Strength(strength),
                                regenerate,
                                overlapPx,
                                bars,
                                m);
            }
            long audioStart = System.nanoTime();
            Audio audio =
                    new SpectrogramConverter(params)
                            .audioFromSpectrogram(piece.spectrogram(), request.seed());
            MusicPiece restyled =
                    new MusicPiece(
                            piece.image(),
                            audio,
                            request.seed(),
                            piece,
                            piece.seconds(),
                            seconds(audioStart));
            JsonObject meta =
                    MusicSidecars.of(
                            "audio-to-audio",
                            request,
                            restyled,
                            0,
                            pipeline.schedulerClass(diffusion.scheduler),
                            DiffusionOptions.absolute(model),
                            null,
                            loadSeconds,
                            params);
            describeInput(meta);
            meta.getAsJsonObject("timings").addProperty("read_s", readSeconds);
            result = new ResultFiles(out.toAbsolutePath(), piece.image(), params, meta, audio);
        }
        result.write();
        spec.commandLine()
                .getOut()
                .printf(Locale.ROOT, "wrote %s (%.2f s)%n", result.wav(), result.seconds());
        spec.commandLine().getOut().flush();
        return 0;
    }

    /**
     * The mask of {@code --mask}, or the region of {@code --mask-seconds} and {@code --mask-hz}
     * (their intersection when both are given), or null to regenerate everything.
     */
    private InpaintMask readMask(int width, int height, SpectrogramParams params)
            throws IOException {
        if (mask != null && (maskSeconds != null || maskHz != null)) {
            throw new ParameterException(
                    spec.commandLine(), "--mask and --mask-seconds/--mask-hz exclude each other");
        }
        if (mask != null) {
            return InpaintMask.read(mask, width, height);
        }
        // Keep what either keeps: regenerate only inside both.
        InpaintMask keep = null;
        if (maskSeconds != null) {
            keep =
                    InpaintMask.timeSpan(
                                    width, height, maskSeconds.from(), maskSeconds.to(), params)
                            .inverted();
        }
        if (maskHz != null) {
            InpaintMask band =
                    InpaintMask.frequencyBand(width, height, maskHz.from(), maskHz.to(), params)
                            .inverted();
            keep = keep == null ? band : keep.or(band);
        }
        return keep == null ? null : keep.inverted();
    }

    /** The input, strength and mask of this restyling, for the sidecar. */
    private void describeInput(JsonObject o) {
        if (input.audio != null) {
            o.addProperty("input_audio", DiffusionOptions.absolute(input.audio));
        } else {
            o.addProperty("input_image", DiffusionOptions.absolute(input.image));
        }
        o.addProperty("strength", strength);
        if (mask != null) {
            o.addProperty("mask", DiffusionOptions.absolute(mask));
        }
        if (maskSeconds != null) {
            o.addProperty("mask_seconds", maskSeconds.from() + ":" + maskSeconds.to());
        }
        if (maskHz != null) {
            o.addProperty("mask_hz", maskHz.from() + ":" + maskHz.to());
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
