package image2music.models.diffusion.longform;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import image2music.audio.longform.ClipPlan;
import image2music.audio.longform.SpectrogramStitcher;
import image2music.audio.spectrogram.Spectrogram;
import image2music.audio.spectrogram.SpectrogramImage;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.models.diffusion.guidance.InpaintMask;
import image2music.models.diffusion.guidance.Strength;
import image2music.models.diffusion.pipeline.GenerationProgress;
import image2music.models.diffusion.pipeline.GenerationRequest;
import image2music.models.diffusion.pipeline.LatentInit;
import image2music.models.diffusion.pipeline.StableDiffusionPipeline;
import image2music.models.diffusion.pipeline.TextConditioning;
import image2music.models.diffusion.schedulers.NoiseSource;
import image2music.models.diffusion.schedulers.SchedulerChoice;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Music longer than one clip: clips of a {@link ClipPlan} generated left to right, each after the
 * first outpainted from the previous one, then joined by {@link SpectrogramStitcher} into one
 * spectrogram for a single inversion.
 *
 * <p>Outpainting: of the {@code overlap / f} latent columns clip {@code i > 0} shares with the
 * previous clip ({@code f} pixels per latent), the first half is known: the previous clip's final
 * latents at those columns, pinned to them re-noised at every step ({@link LatentInit} with a
 * column mask); the rest of the clip is generated, so it starts where the previous one is and the
 * UNet continues it rather than starting afresh. The stitcher keeps the previous clip over the
 * pinned half and cross-fades over the other half. Why only half: where the pinned columns meet the
 * generated ones the new clip may have a seam of its own (a model continues well but not
 * perfectly); the fade starts exactly there, with the new clip at a weight near 0, so that seam
 * never reaches the piece, and over the second half both clips have free content of their own to
 * fade between. With fewer than two shared latent columns nothing is pinned and the clips are only
 * cross-faded.
 *
 * <p>Restyling (audio-to-audio) runs on the same plan over an input spectrogram image: each window
 * is img2img from its own latents at the requested strength, with the same overlap columns pinned
 * to the previous output; the last window is padded with silence (white) and cut; a pixel mask of
 * the whole input regenerates only its white pixels and keeps every other pixel exactly.
 *
 * <p>Clip {@code i}'s noise comes from {@link #clipSeed(long, int)} of the request's seed. Not
 * thread-safe (the pipeline is not).
 */
public final class LongformGenerator {

    /**
     * Between the seeds of consecutive clips: SplitMix64's golden-ratio increment, so the clips of
     * pieces with nearby seeds (a batch uses seed, seed + 1, …) never share a seed.
     */
    public static final long SEED_GAMMA = 0x9E3779B97F4A7C15L;

    private static final int WHITE = 0xFFFFFF;

    private final StableDiffusionPipeline pipeline;
    private final SpectrogramParams params;

    /**
     * @param params the spectrogram format of the images (their height must be its mel bin count)
     */
    public LongformGenerator(StableDiffusionPipeline pipeline, SpectrogramParams params) {
        this.pipeline = pipeline;
        this.params = params;
    }

    /**
     * The seed of clip {@code clip} of a piece whose seed is {@code seed}: {@code seed + clip ·
     * SEED_GAMMA} (wrapping), so clip 0 uses the piece's seed and a one-clip piece is the ordinary
     * clip of that seed.
     */
    public static long clipSeed(long seed, int clip) {
        return seed + clip * SEED_GAMMA;
    }

    /**
     * Text to one long piece: clip 0 from noise, every later clip outpainted from the one before.
     *
     * @param request prompt, guidance, steps, scheduler, seed and height; its width must be the
     *     plan's clip width and its batch 1 (a batch is several calls, one seed each)
     * @param plan the piece's clips; the overlap must be a multiple of the VAE factor
     * @param progress told per clip (its image index) and denoising step
     * @throws IllegalArgumentException if the sizes do not fit the model or each other
     */
    public LongformResult generate(
            GenerationRequest request,
            ClipPlan plan,
            GenerationProgress progress,
            NDManager manager) {
        return generate(request, plan, ClipStore.NONE, progress, manager);
    }

    /**
     * {@link #generate(GenerationRequest, ClipPlan, GenerationProgress, NDManager)} keeping each
     * finished clip in {@code store} and taking the clips it already holds from it, so an
     * interrupted piece goes on where it stopped (a kept clip reports one step of one).
     */
    public LongformResult generate(
            GenerationRequest request,
            ClipPlan plan,
            ClipStore store,
            GenerationProgress progress,
            NDManager manager) {
        if (request.width() != plan.width()) {
            throw new IllegalArgumentException(
                    "request width "
                            + request.width()
                            + " px differs from the plan's clip width "
                            + plan.width()
                            + " px");
        }
        return run(request, plan, Source.TEXT, store, progress, manager);
    }

    /**
     * Audio-to-audio: {@code input} (a spectrogram image of any width) restyled window by window on
     * {@link #windowPlan}, so the output has the input's size.
     *
     * @param request prompt, guidance, steps, scheduler, seed, window width and height (the
     *     input's); batch 1
     * @param strength how far each window is noised (0 returns the input)
     * @param mask null, or of the input's size: white regenerates, every other pixel comes out
     *     exactly as in {@code input}
     * @param overlap pixels shared by consecutive windows, a multiple of the VAE factor
     * @throws IllegalArgumentException if the input or mask size does not fit
     */
    public LongformResult restyle(
            GenerationRequest request,
            BufferedImage input,
            Strength strength,
            InpaintMask mask,
            int overlap,
            GenerationProgress progress,
            NDManager manager) {
        if (input.getHeight() != request.height()) {
            throw new IllegalArgumentException(
                    "input spectrogram is "
                            + input.getHeight()
                            + " px tall, the model generates "
                            + request.height()
                            + " px");
        }
        if (mask != null
                && (mask.width() != input.getWidth() || mask.height() != input.getHeight())) {
            throw new IllegalArgumentException(
                    "mask is "
                            + mask.width()
                            + "x"
                            + mask.height()
                            + " px, the input spectrogram "
                            + input.getWidth()
                            + "x"
                            + input.getHeight()
                            + " px");
        }
        ClipPlan plan = windowPlan(input.getWidth(), request.width(), overlap);
        return run(
                request,
                plan,
                new Restyle(input, strength, mask),
                ClipStore.NONE,
                progress,
                manager);
    }

    /**
     * The windows over an input {@code inputWidth} px wide: windows of {@code width} px sharing
     * {@code overlap}, or, for an input narrower than one window, one window of the input's width
     * rounded up to the next size the model takes.
     */
    public ClipPlan windowPlan(int inputWidth, int width, int overlap) {
        if (inputWidth >= width) {
            return new ClipPlan(inputWidth, width, overlap);
        }
        int multiple = pipeline.sizeMultiple();
        return new ClipPlan(inputWidth, (inputWidth + multiple - 1) / multiple * multiple, 0);
    }

    /**
     * Where each clip of a piece starts from: noise, continuing the previous clip (text), or a
     * window of an input spectrogram (restyle).
     */
    private interface Source {

        /** Text to music: no input, every pixel generated. */
        Source TEXT =
                new Source() {
                    @Override
                    public BufferedImage window(int start, ClipPlan plan) {
                        return null;
                    }

                    @Override
                    public InpaintMask windowMask(int start, ClipPlan plan) {
                        return null;
                    }

                    @Override
                    public Strength strength() {
                        return null;
                    }

                    @Override
                    public BufferedImage finish(BufferedImage stitched) {
                        return stitched;
                    }
                };

        /** The input's columns of the clip starting at {@code start}; null without an input. */
        BufferedImage window(int start, ClipPlan plan);

        /** The user mask's columns of that clip; null to regenerate all of it. */
        InpaintMask windowMask(int start, ClipPlan plan);

        /** How far a window is noised; null without an input. */
        Strength strength();

        /** The stitched piece with every pixel the user mask keeps restored. */
        BufferedImage finish(BufferedImage stitched);
    }

    /** Audio-to-audio: the input restyled, where {@code mask} (null: everywhere) is white. */
    private record Restyle(BufferedImage input, Strength strength, InpaintMask mask)
            implements Source {

        @Override
        public BufferedImage window(int start, ClipPlan plan) {
            return LongformGenerator.window(input, start, plan);
        }

        @Override
        public InpaintMask windowMask(int start, ClipPlan plan) {
            return mask == null ? null : LongformGenerator.windowMask(mask, start, plan);
        }

        @Override
        public BufferedImage finish(BufferedImage stitched) {
            // The cross-fade and the 8-bit round trip could move a kept pixel by a step.
            return mask == null ? stitched : mask.composite(stitched, input);
        }
    }

    /** The clips of {@code plan} from {@code source}, stitched into one piece. */
    private LongformResult run(
            GenerationRequest request,
            ClipPlan plan,
            Source source,
            ClipStore store,
            GenerationProgress progress,
            NDManager manager) {
        if (request.batch() != 1) {
            throw new IllegalArgumentException(
                    "a long piece is one generation; got a batch of " + request.batch());
        }
        long start = System.nanoTime();
        Shape shape = pipeline.latentShape(plan.width(), request.height());
        // Resolved once for every clip of the piece.
        SchedulerChoice scheduler = pipeline.scheduler(request.scheduler());
        int f = pipeline.pixelsPerLatent();
        if (plan.overlap() % f != 0) {
            throw new IllegalArgumentException(
                    "overlap "
                            + plan.overlap()
                            + " px is not a multiple of the model's "
                            + f
                            + " px per latent");
        }
        // Latent columns pinned to the previous clip: the first half of the shared ones.
        int carried = plan.overlap() / f / 2;
        int n = plan.clipCount();
        long[] seeds = new long[n];
        List<Spectrogram> clips = new ArrayList<>();
        try (NDManager piece = manager.newSubManager()) {
            TextConditioning text =
                    pipeline.encodePrompt(
                            request.prompt(), request.negativePrompt(), request.guidance(), piece);
            NDArray tail = null;
            for (int i = 0; i < n; i++) {
                seeds[i] = clipSeed(request.seed(), i);
                BufferedImage window = source.window(plan.start(i), plan);
                InpaintMask windowMask = source.windowMask(plan.start(i), plan);
                BufferedImage image;
                try (NDManager m = piece.newSubManager()) {
                    ClipStore.Clip kept = store.load(i, m);
                    NDArray latents;
                    if (kept != null) {
                        image = kept.image();
                        latents = kept.latents();
                        progress.stepDone(i, 1, 1);
                    } else {
                        NoiseSource noise = NoiseSource.seeded(seeds[i]);
                        NDArray initial = noise.next(m, shape, DataType.FLOAT32);
                        LatentInit init =
                                latentInit(
                                        window,
                                        windowMask,
                                        source.strength(),
                                        tail,
                                        carried,
                                        shape,
                                        m);
                        int clip = i;
                        latents =
                                pipeline.denoise(
                                        text,
                                        initial,
                                        init,
                                        request.steps(),
                                        scheduler,
                                        noise,
                                        (img, step, steps) -> progress.stepDone(clip, step, steps));
                        image =
                                window == null
                                        ? pipeline.decodeImage(latents, m)
                                        : pipeline.finishImage(
                                                latents,
                                                window,
                                                source.strength(),
                                                windowMask,
                                                request.steps(),
                                                m);
                        store.save(i, image, latents);
                    }
                    if (tail != null) {
                        tail.close();
                    }
                    tail = tail(latents, plan, piece);
                }
                // All clips are decoded on one fixed scale, so their magnitudes are comparable.
                clips.add(
                        SpectrogramImage.toSpectrogram(
                                image, params, SpectrogramImage.DEFAULT_MAX_VALUE));
            }
        }
        Spectrogram stitched = new SpectrogramStitcher(plan, carried * f).stitch(clips);
        BufferedImage image =
                source.finish(
                        SpectrogramImage.fromSpectrogram(
                                stitched, SpectrogramImage.DEFAULT_MAX_VALUE));
        // The audio comes from the image, so the PNG alone reproduces the WAV.
        Spectrogram spectrogram =
                SpectrogramImage.toSpectrogram(image, params, SpectrogramImage.DEFAULT_MAX_VALUE);
        return new LongformResult(
                image, spectrogram, plan, carried * f, seeds, (System.nanoTime() - start) / 1e9);
    }

    /**
     * Where clip denoising starts: null (pure noise) for a first text clip; else known latents (the
     * window's own, or zeros for text) whose first {@code carried} columns are the previous clip's
     * {@code tail}, regenerating everything but those columns and, in a window, the user mask's
     * kept cells. Text clips start from pure noise (strength 1), windows at {@code strength}.
     */
    private LatentInit latentInit(
            BufferedImage window,
            InpaintMask windowMask,
            Strength strength,
            NDArray tail,
            int carried,
            Shape shape,
            NDManager m) {
        if (window == null) {
            return tail == null ? null : continuation(tail, shape, m);
        }
        NDArray known = pipeline.encodeImage(window, m);
        int cols = (int) shape.get(3);
        int rows = (int) shape.get(2);
        InpaintMask regenerate =
                windowMask == null
                        ? InpaintMask.columns(cols, rows, 0, cols)
                        : windowMask.toLatentGrid(pipeline.pixelsPerLatent());
        if (tail != null) {
            NDArray rest = known.get(new NDIndex(":, :, :, {}:", carried));
            NDArray joined = NDArrays.concat(new NDList(tail, rest), 3);
            joined.attach(m);
            known = joined;
            // Regenerate where the user mask does and not in the carried columns.
            InpaintMask keep =
                    regenerate.inverted().or(InpaintMask.columns(cols, rows, 0, carried));
            regenerate = keep.inverted();
        }
        boolean everything = regenerate.count() == cols * rows;
        return new LatentInit(known, strength, everything ? null : regenerate.toNDArray(m));
    }

    /**
     * Where a text clip that continues the previous one starts: pure noise (strength 1) except its
     * first {@code tail.size(3)} latent columns, pinned to {@code tail} (the previous clip's final
     * latents at the columns the two share) at every step.
     *
     * @param shape the clip's latent shape
     */
    public static LatentInit continuation(NDArray tail, Shape shape, NDManager m) {
        int cols = (int) shape.get(3);
        int rows = (int) shape.get(2);
        int carried = (int) tail.getShape().get(3);
        NDArray rest = m.zeros(shape.slice(0, 3).add(cols - carried));
        NDArray known = NDArrays.concat(new NDList(tail, rest), 3);
        known.attach(m);
        NDArray mask = InpaintMask.columns(cols, rows, carried, cols).toNDArray(m);
        return new LatentInit(known, new Strength(1.0), mask);
    }

    /**
     * The latent columns of {@code latents} the next clip of {@code plan} pins, kept in {@code
     * into}.
     */
    public NDArray tail(NDArray latents, ClipPlan plan, NDManager into) {
        int f = pipeline.pixelsPerLatent();
        int carried = plan.overlap() / f / 2;
        return carried == 0 ? null : columns(latents, plan.stride() / f, carried, into);
    }

    /** Latent columns {@code [from, from + n)}, kept in {@code into}. */
    private static NDArray columns(NDArray latents, int from, int n, NDManager into) {
        NDArray cols = latents.get(new NDIndex(":, :, :, {}:{}", from, from + n));
        cols.attach(into);
        return cols;
    }

    /** Columns {@code [start, start + width)} of {@code input}, padded with silence (white). */
    static BufferedImage window(BufferedImage input, int start, ClipPlan plan) {
        int width = plan.width();
        int height = input.getHeight();
        int used = Math.min(width, input.getWidth() - start);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] white = new int[width - used];
        Arrays.fill(white, WHITE);
        for (int y = 0; y < height; y++) {
            int[] row = input.getRGB(start, y, used, 1, null, 0, used);
            out.setRGB(0, y, used, 1, row, 0, used);
            if (white.length > 0) {
                out.setRGB(used, y, white.length, 1, white, 0, white.length);
            }
        }
        return out;
    }

    /** Columns {@code [start, start + width)} of {@code mask}; padding columns are kept. */
    static InpaintMask windowMask(InpaintMask mask, int start, ClipPlan plan) {
        int width = plan.width();
        int used = Math.min(width, mask.width() - start);
        BufferedImage drawn = new BufferedImage(width, mask.height(), BufferedImage.TYPE_INT_RGB);
        int[] row = new int[width];
        for (int y = 0; y < mask.height(); y++) {
            for (int x = 0; x < width; x++) {
                row[x] = x < used && mask.regenerates(y, start + x) ? WHITE : 0;
            }
            drawn.setRGB(0, y, width, 1, row, 0, width);
        }
        return InpaintMask.of(drawn);
    }
}
