package image2music.pipeline;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import image2music.audio.Audio;
import image2music.audio.longform.ClipPlan;
import image2music.audio.longform.SpectrogramStitcher;
import image2music.audio.spectrogram.Spectrogram;
import image2music.audio.spectrogram.SpectrogramConverter;
import image2music.audio.spectrogram.SpectrogramFormatFile;
import image2music.audio.spectrogram.SpectrogramImage;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.core.io.OutputLimits;
import image2music.models.diffusion.guidance.InpaintMask;
import image2music.models.diffusion.pipeline.InterpolatedImage;
import image2music.models.diffusion.pipeline.InterpolationRequest;
import image2music.models.diffusion.pipeline.PromptInterpolation;
import image2music.models.diffusion.pipeline.StableDiffusionPipeline;
import image2music.models.nn.Engines;
import image2music.pipeline.progress.Cancellation;
import image2music.pipeline.progress.ProgressEvent;
import image2music.pipeline.progress.ProgressListener;
import image2music.pipeline.progress.StepReporter;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Interpolation as a service ({@link PromptInterpolation}, Riffusion's way): writes {@code
 * DIR/clip-000.wav} … (each with its PNG and a JSON that reproduces it alone) as each clip is done,
 * then {@code DIR/interpolation.wav} (+ PNG, JSON): the clip spectrograms cross-faded and inverted
 * once, so the joins have no phase jumps.
 *
 * <p>Every input is checked before anything is written. A clip whose files are already there with a
 * sidecar of the same recipe is read back instead of generated again ({@link Recipes}), so an
 * interrupted or cancelled run resumes where it stopped.
 */
public final class InterpolationService {

    /** Stem of the joined piece's files. */
    public static final String JOINED = "interpolation";

    private final ProgressListener listener;
    private final Cancellation cancellation;

    /**
     * @param listener told each step, clip and written file
     * @param cancellation checked between denoising steps
     */
    public InterpolationService(ProgressListener listener, Cancellation cancellation) {
        this.listener = listener;
        this.cancellation = cancellation;
    }

    /** A service that reports nothing and is never cancelled. */
    public InterpolationService() {
        this(ProgressListener.NONE, new Cancellation());
    }

    /** The stem of clip {@code i}'s files. */
    public static String clipName(int i) {
        return String.format(Locale.ROOT, "clip-%03d", i);
    }

    /**
     * Makes (or keeps) every clip, then joins them.
     *
     * @throws IOException naming the file that cannot be read or written
     * @throws IllegalArgumentException naming a setting or input that does not fit
     * @throws image2music.pipeline.progress.CancelledException if cancelled: the clips written so
     *     far stay (a rerun keeps them); the joined piece is not written
     */
    public GenerationResult run(InterpolateRequest r) throws IOException {
        SpectrogramParams params = SpectrogramFormatFile.read(r.model());
        InitSpectrogram init = readInit(r, params);
        int clipWidth =
                r.diffusion()
                        .widthOr(
                                init != null
                                        ? init.image().getWidth()
                                        : DiffusionSettings.DEFAULT_WIDTH);
        checkLength(r, clipWidth, params);
        double[] alphas = r.alphas();
        int height = params.numFrequencies();
        InpaintMask inpaint =
                r.mask() == null ? null : InpaintMask.read(r.mask(), clipWidth, height);
        ClipPlan plan = plan(r.overlapSeconds(), clipWidth, alphas.length, params);
        InterpolationRequest request =
                new InterpolationRequest(
                        r.from(),
                        r.to(),
                        r.diffusion().negativePrompt(),
                        r.diffusion().steps(),
                        clipWidth,
                        height,
                        r.diffusion().scheduler());
        Path out = r.out();
        List<GenerationResult.Output> outputs = new ArrayList<>();
        long start = System.nanoTime();
        try (NDManager m = Engines.newManager();
                StableDiffusionPipeline pipeline =
                        Generators.load(r.model(), r.diffusion().loras(), m)) {
            double loadSeconds = seconds(start);
            PromptInterpolation interpolation =
                    new PromptInterpolation(
                            pipeline, request, init == null ? null : init.image(), inpaint);
            InterpolationSidecars sidecars =
                    new InterpolationSidecars(
                            request,
                            pipeline.schedulerClass(request.scheduler()),
                            r.model(),
                            r.diffusion().loras(),
                            init,
                            r.mask(),
                            alphas);
            // Everything is checked: from here on, output.
            Files.createDirectories(out);
            SpectrogramConverter converter = new SpectrogramConverter(params);
            List<Spectrogram> clips = new ArrayList<>();
            StepReporter steps = new StepReporter(alphas.length, "clip", listener, cancellation);
            for (int i = 0; i < alphas.length; i++) {
                Path wav = out.resolve(clipName(i) + ".wav");
                JsonObject recipe = sidecars.clip(i, interpolation);
                Recipes.Kept kept = Recipes.keptClip(wav, recipe, clipWidth, height);
                BufferedImage image;
                if (kept != null) {
                    image = kept.image();
                    listener.on(new ProgressEvent.Written(wav, kept.seconds(), alphas[i], true));
                } else {
                    int index = i;
                    InterpolatedImage clip =
                            interpolation.generate(
                                    alphas[i], (img, s, n) -> steps.stepDone(index, s, n), m);
                    steps.finish();
                    image = clip.image();
                    long audioStart = System.nanoTime();
                    Audio audio =
                            converter.audioFromSpectrogram(
                                    spectrogram(image, params), sidecars.griffinLimSeed());
                    JsonObject meta =
                            InterpolationSidecars.withResults(
                                    recipe,
                                    audio,
                                    loadSeconds,
                                    clip.seconds(),
                                    seconds(audioStart));
                    ResultFiles files = new ResultFiles(wav, image, params, meta, audio);
                    cancellation.check();
                    // The WAV goes last: without it a half-replaced clip is never kept on a
                    // rerun, and a joined piece of other clips must not outlive them.
                    Files.deleteIfExists(wav);
                    Files.deleteIfExists(out.resolve(JOINED + ".wav"));
                    files.write();
                    listener.on(new ProgressEvent.Written(wav, files.seconds(), alphas[i], false));
                    outputs.add(new GenerationResult.Output(wav, files.seconds(), files.sidecar()));
                }
                clips.add(spectrogram(image, params));
            }
            cancellation.check();
            long joinStart = System.nanoTime();
            Spectrogram joined = new SpectrogramStitcher(plan).stitch(clips);
            Audio audio = converter.audioFromSpectrogram(joined, sidecars.griffinLimSeed());
            JsonObject meta = sidecars.joined(plan, params, audio, seconds(joinStart));
            ResultFiles files =
                    new ResultFiles(
                            out.resolve(JOINED + ".wav"),
                            // On the clips' own fixed scale, which the PNG's EXIF states.
                            SpectrogramImage.fromSpectrogram(
                                    joined, SpectrogramImage.DEFAULT_MAX_VALUE),
                            params,
                            meta,
                            audio);
            files.write();
            listener.on(new ProgressEvent.Written(files.wav(), files.seconds(), null, false));
            outputs.add(new GenerationResult.Output(files.wav(), files.seconds(), files.sidecar()));
        }
        listener.on(new ProgressEvent.Finished());
        return new GenerationResult(outputs);
    }

    private static InitSpectrogram readInit(InterpolateRequest r, SpectrogramParams params)
            throws IOException {
        if (r.initImage() != null) {
            return InitSpectrogram.fromImage(r.initImage(), r.diffusion().width(), params);
        }
        if (r.initAudio() != null) {
            return InitSpectrogram.fromAudio(
                    r.initAudio(), r.diffusion().widthOr(DiffusionSettings.DEFAULT_WIDTH), params);
        }
        return null;
    }

    /** The joined piece's length against {@link OutputLimits}, before any clip is made. */
    private static void checkLength(InterpolateRequest r, int w, SpectrogramParams params)
            throws IOException {
        long clips = r.stepsBetween() + 2L;
        long shared = Math.round(r.overlapSeconds() * params.sampleRate() / params.hopLength()) + 1;
        long stride = Math.max(1, w - shared);
        double frames = w + (clips - 1) * (double) stride;
        OutputLimits.checkWav(
                r.out().resolve(JOINED + ".wav"),
                frames * params.hopLength() / params.sampleRate(),
                params.sampleRate(),
                params.channels(),
                clips + " clips of " + w + " px (--steps-between " + r.stepsBetween() + ")",
                r.force());
    }

    /**
     * Clips of {@code w} frames sharing {@code round(overlap / hop) + 1} frames, i.e. {@code
     * overlap} seconds of audio: the piece lasts {@code n · clip − (n − 1) · overlap}.
     */
    private static ClipPlan plan(double overlap, int w, int n, SpectrogramParams params) {
        if (!(overlap > 0) || Double.isInfinite(overlap)) {
            throw new InvalidRequestException("--overlap must be > 0 s, got " + overlap);
        }
        long shared = Math.round(overlap * params.sampleRate() / params.hopLength()) + 1;
        if (shared >= w) {
            throw new InvalidRequestException(
                    String.format(
                            Locale.ROOT,
                            "--overlap %.2f s (%d frames) must be shorter than a %d-px clip",
                            overlap,
                            shared,
                            w));
        }
        int stride = w - (int) shared;
        return new ClipPlan(w + (n - 1) * stride, w, (int) shared);
    }

    private static Spectrogram spectrogram(BufferedImage image, SpectrogramParams params) {
        return SpectrogramImage.toSpectrogram(image, params, SpectrogramImage.DEFAULT_MAX_VALUE);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
