package image2music.pipeline;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import image2music.audio.Audio;
import image2music.audio.io.AudioFiles;
import image2music.audio.spectrogram.SpectrogramConverter;
import image2music.audio.spectrogram.SpectrogramFormatFile;
import image2music.audio.spectrogram.SpectrogramImage;
import image2music.audio.spectrogram.SpectrogramImageIO;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.core.io.OutputLimits;
import image2music.models.diffusion.guidance.InpaintMask;
import image2music.models.diffusion.guidance.Strength;
import image2music.models.diffusion.longform.LongformGenerator;
import image2music.models.diffusion.longform.LongformResult;
import image2music.models.diffusion.pipeline.GenerationRequest;
import image2music.models.diffusion.pipeline.StableDiffusionPipeline;
import image2music.models.nn.Engines;
import image2music.pipeline.progress.Cancellation;
import image2music.pipeline.progress.ProgressEvent;
import image2music.pipeline.progress.ProgressListener;
import image2music.pipeline.progress.StepReporter;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;

/**
 * Audio to audio as a service: reads the input (and mask) first, so a bad file fails before the
 * model loads; restyles it window by window ({@link LongformGenerator#restyle}); writes {@code
 * X.wav}, {@code X.png} and {@code X.json} once everything is done.
 */
public final class AudioToAudioService {

    private final ProgressListener listener;
    private final Cancellation cancellation;

    /**
     * @param listener told each step, window and the written file
     * @param cancellation checked between denoising steps
     */
    public AudioToAudioService(ProgressListener listener, Cancellation cancellation) {
        this.listener = listener;
        this.cancellation = cancellation;
    }

    /** A service that reports nothing and is never cancelled. */
    public AudioToAudioService() {
        this(ProgressListener.NONE, new Cancellation());
    }

    /**
     * Restyles the input and writes the result.
     *
     * @throws InvalidRequestException if the settings do not fit each other or the model
     * @throws IOException naming the file that cannot be read or written
     * @throws IllegalArgumentException naming an input that does not fit (size, length)
     * @throws image2music.pipeline.progress.CancelledException if cancelled; nothing is written
     */
    public GenerationResult run(AudioToAudioRequest r) throws IOException {
        long start = System.nanoTime();
        Input input = read(r);
        SpectrogramParams params = input.params();
        BufferedImage image = input.image();
        InpaintMask regenerate = mask(r, image.getWidth(), image.getHeight(), params);
        double readSeconds = seconds(start);
        GenerationRequest request =
                r.diffusion()
                        .generation(r.prompt(), r.guidance(), r.seed(), params.numFrequencies(), 1);
        ResultFiles result;
        long loadStart = System.nanoTime();
        try (NDManager m = Engines.newManager();
                StableDiffusionPipeline pipeline =
                        Generators.load(r.model(), r.diffusion().loras(), m)) {
            double loadSeconds = seconds(loadStart);
            int overlapPx =
                    Overlap.pixels(
                            r.overlapSeconds(),
                            request.width(),
                            pipeline.pixelsPerLatent(),
                            params);
            LongformGenerator generator = new LongformGenerator(pipeline, params);
            int windows =
                    generator.windowPlan(image.getWidth(), request.width(), overlapPx).clipCount();
            StepReporter steps = new StepReporter(windows, "window", listener, cancellation);
            LongformResult piece =
                    generator.restyle(
                            request,
                            image,
                            new Strength(r.strength()),
                            regenerate,
                            overlapPx,
                            steps,
                            m);
            steps.finish();
            cancellation.check();
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
                    Sidecars.music(
                            "audio-to-audio",
                            request,
                            restyled,
                            0,
                            pipeline.schedulerClass(request.scheduler()),
                            r.model(),
                            null,
                            loadSeconds,
                            params);
            Sidecars.loras(meta, r.diffusion().loras());
            describeInput(meta, r);
            meta.getAsJsonObject("timings").addProperty("read_s", readSeconds);
            result = new ResultFiles(r.out().toAbsolutePath(), piece.image(), params, meta, audio);
        }
        result.write();
        listener.on(new ProgressEvent.Written(result.wav(), result.seconds(), null, false));
        listener.on(new ProgressEvent.Finished());
        return new GenerationResult(
                List.of(
                        new GenerationResult.Output(
                                result.wav(), result.seconds(), result.sidecar())));
    }

    /** The input's spectrogram image and parameters. */
    private static Input read(AudioToAudioRequest r) throws IOException {
        if (!r.inputIsImage()) {
            SpectrogramParams params = SpectrogramFormatFile.read(r.model());
            // The result is as long as the input: refused from its header before decoding (and
            // after, for a container that does not say).
            double declared = AudioFiles.probe(r.input()).durationSeconds();
            if (!Double.isNaN(declared)) {
                checkLength(r, declared, params);
            }
            Audio audio = AudioFiles.readMono(r.input(), params.sampleRate());
            checkLength(r, audio.durationSeconds(), params);
            if (audio.frames() == 0) {
                throw new IllegalArgumentException(r.input() + ": no audio samples");
            }
            BufferedImage image =
                    SpectrogramImage.fromSpectrogram(
                            new SpectrogramConverter(params).spectrogramFromAudio(audio));
            return new Input(image, params);
        }
        SpectrogramImageIO.Loaded loaded = SpectrogramImageIO.read(r.input());
        SpectrogramParams p = loaded.params();
        OutputLimits.checkWav(
                r.out(),
                (double) loaded.image().getWidth() * p.hopLength() / p.sampleRate(),
                p.sampleRate(),
                p.channels(),
                r.input() + "'s width and EXIF parameters",
                r.force());
        if (loaded.image().getHeight() != loaded.params().numFrequencies()) {
            throw new IllegalArgumentException(
                    r.input()
                            + ": image is "
                            + loaded.image().getHeight()
                            + " px tall, its spectrogram parameters have "
                            + loaded.params().numFrequencies()
                            + " mel bins");
        }
        return new Input(loaded.image(), loaded.params());
    }

    private static void checkLength(AudioToAudioRequest r, double seconds, SpectrogramParams p)
            throws IOException {
        OutputLimits.checkWav(
                r.out(), seconds, p.sampleRate(), p.channels(), r.input() + "'s length", r.force());
    }

    /** The music to restyle as a spectrogram image, with the parameters it was made with. */
    private record Input(BufferedImage image, SpectrogramParams params) {}

    /**
     * The mask file, or the region of the time span and band (their intersection when both are
     * given), or null to regenerate everything.
     */
    private static InpaintMask mask(
            AudioToAudioRequest r, int width, int height, SpectrogramParams params)
            throws IOException {
        if (r.mask() != null) {
            return InpaintMask.read(r.mask(), width, height);
        }
        // Keep what either keeps: regenerate only inside both.
        InpaintMask keep = null;
        if (r.maskSeconds() != null) {
            Span s = r.maskSeconds();
            keep = InpaintMask.timeSpan(width, height, s.from(), s.to(), params).inverted();
        }
        if (r.maskHz() != null) {
            Span b = r.maskHz();
            InpaintMask band =
                    InpaintMask.frequencyBand(width, height, b.from(), b.to(), params).inverted();
            keep = keep == null ? band : keep.or(band);
        }
        return keep == null ? null : keep.inverted();
    }

    /** The input, strength and mask of this restyling, for the sidecar. */
    private static void describeInput(JsonObject o, AudioToAudioRequest r) {
        o.addProperty(
                r.inputIsImage() ? "input_image" : "input_audio", Sidecars.absolute(r.input()));
        o.addProperty("strength", r.strength());
        if (r.mask() != null) {
            o.addProperty("mask", Sidecars.absolute(r.mask()));
        }
        if (r.maskSeconds() != null) {
            o.addProperty("mask_seconds", r.maskSeconds().toString());
        }
        if (r.maskHz() != null) {
            o.addProperty("mask_hz", r.maskHz().toString());
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
