package image2music.pipeline;

import ai.djl.ndarray.NDManager;
import image2music.audio.Audio;
import image2music.audio.longform.ClipPlan;
import image2music.audio.spectrogram.Spectrogram;
import image2music.audio.spectrogram.SpectrogramConverter;
import image2music.audio.spectrogram.SpectrogramImage;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.models.diffusion.longform.ClipStore;
import image2music.models.diffusion.longform.LongformGenerator;
import image2music.models.diffusion.longform.LongformResult;
import image2music.models.diffusion.pipeline.GeneratedImage;
import image2music.models.diffusion.pipeline.GenerationProgress;
import image2music.models.diffusion.pipeline.GenerationRequest;
import image2music.models.diffusion.pipeline.StableDiffusionPipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A prompt to music: spectrogram images from a diffusion pipeline, inverted to audio. One clip of
 * the request's width per seed, or, for a {@link ClipPlan} of a long piece, one continuous piece
 * per seed made clip by clip by {@link LongformGenerator} and inverted once. Each result's audio is
 * inverted with its own seed, so a result is reproduced by its seed alone.
 */
public final class TextToMusic {

    private final StableDiffusionPipeline pipeline;
    private final SpectrogramParams params;
    private final SpectrogramConverter converter;

    /**
     * @param params the spectrogram format; the request height must be its mel bin count
     */
    public TextToMusic(StableDiffusionPipeline pipeline, SpectrogramParams params) {
        this.pipeline = pipeline;
        this.params = params;
        this.converter = new SpectrogramConverter(params);
    }

    /** The pipeline. */
    public StableDiffusionPipeline pipeline() {
        return pipeline;
    }

    /** The spectrogram format. */
    public SpectrogramParams params() {
        return params;
    }

    /**
     * The plan of a piece of {@code seconds}, clips of the request's width sharing {@code
     * overlapPx} pixels.
     *
     * @throws IllegalArgumentException if the width does not fit the model or the overlap is not
     *     shorter than a clip
     */
    public ClipPlan plan(GenerationRequest request, double seconds, int overlapPx) {
        // Fail on a width the model cannot take before the first clip, not after.
        pipeline.latentShape(request.width(), request.height());
        return ClipPlan.forSeconds(seconds, request.width(), overlapPx, params);
    }

    /**
     * The request's results: {@code request.batch()} clips (seeds seed, seed + 1, …) when {@code
     * plan} is null, else as many pieces laid out on {@code plan}, long piece {@code p} keeping its
     * finished clips in {@code stores.apply(p)} and resuming from them ({@code p -> ClipStore.NONE}
     * keeps nothing).
     *
     * @param progress told per denoising step; its image index counts clips across the batch
     */
    public List<MusicPiece> generate(
            GenerationRequest request,
            ClipPlan plan,
            IntFunction<ClipStore> stores,
            GenerationProgress progress,
            NDManager manager) {
        return plan == null
                ? clips(request, progress, manager)
                : pieces(request, plan, stores, progress, manager);
    }

    private List<MusicPiece> clips(
            GenerationRequest request, GenerationProgress progress, NDManager manager) {
        List<MusicPiece> out = new ArrayList<>();
        for (GeneratedImage g : pipeline.generate(request, progress, manager)) {
            long start = System.nanoTime();
            Spectrogram s =
                    SpectrogramImage.toSpectrogram(
                            g.image(), params, SpectrogramImage.DEFAULT_MAX_VALUE);
            Audio audio = converter.audioFromSpectrogram(s, g.seed());
            out.add(new MusicPiece(g.image(), audio, g.seed(), null, g.seconds(), since(start)));
        }
        return out;
    }

    private List<MusicPiece> pieces(
            GenerationRequest request,
            ClipPlan plan,
            IntFunction<ClipStore> stores,
            GenerationProgress progress,
            NDManager manager) {
        LongformGenerator generator = new LongformGenerator(pipeline, params);
        int clips = plan.clipCount();
        List<MusicPiece> out = new ArrayList<>();
        for (int p = 0; p < request.batch(); p++) {
            int first = p * clips;
            GenerationRequest one = request.withSeed(request.seed() + p).withBatch(1);
            LongformResult piece =
                    generator.generate(
                            one,
                            plan,
                            stores.apply(p),
                            (clip, step, total) -> progress.stepDone(first + clip, step, total),
                            manager);
            long start = System.nanoTime();
            Audio audio = converter.audioFromSpectrogram(piece.spectrogram(), one.seed());
            out.add(
                    new MusicPiece(
                            piece.image(),
                            audio,
                            one.seed(),
                            piece,
                            piece.seconds(),
                            since(start)));
        }
        return out;
    }

    private static double since(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
