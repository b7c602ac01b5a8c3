package image2music.pipeline.live;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import image2music.audio.Audio;
import image2music.audio.longform.ClipPlan;
import image2music.audio.longform.SpectrogramStitcher;
import image2music.audio.spectrogram.LoudnessNormalizer;
import image2music.audio.spectrogram.Spectrogram;
import image2music.audio.spectrogram.SpectrogramConverter;
import image2music.audio.spectrogram.SpectrogramImage;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.audio.spectrogram.StepTimes;
import image2music.models.diffusion.longform.LongformGenerator;
import image2music.models.diffusion.pipeline.GenerationProgress;
import image2music.models.diffusion.pipeline.GenerationRequest;
import image2music.models.diffusion.pipeline.LatentInit;
import image2music.models.diffusion.pipeline.StableDiffusionPipeline;
import image2music.models.diffusion.pipeline.TextConditioning;
import image2music.models.diffusion.schedulers.NoiseSource;
import image2music.models.nn.Engines;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;

/**
 * A piece that goes on for as long as it is asked to: each {@link #next} makes one more clip,
 * outpainted from the previous one exactly as {@link LongformGenerator} lays out a long piece (same
 * seeds, same pinned latent columns, same spectrogram cross-fade), and returns the stretch of audio
 * that follows, without a gap or a click, the stretch the call before returned. A new prompt does
 * not cut: the text conditioning moves to it over the next {@code morphClips} clips (Riffusion's
 * prompt interpolation, here along the piece).
 *
 * <p>Why streaming needs its own bookkeeping: a clip's last frames change when the next clip is
 * cross-faded in, so the stream holds back everything past the next clip's pinned columns until
 * that clip exists; and stretches inverted apart have unrelated phases, so each is inverted with
 * {@value #FADE_FRAMES} frames of context on both sides and the seam is an equal-power cross-fade
 * between the previous inversion's look-ahead and the new one over those frames. The level is fixed
 * by the first stretch that is not silent (later stretches keep it, lowered only if they would
 * clip), so the loudness follows the music instead of being reset every clip.
 *
 * <p>Holds the state of one piece (a few latent columns, one clip's spectrogram, the conditioning):
 * close it when the piece ends. Not thread-safe; the pipeline it is given is used only inside
 * {@link #next}.
 */
public final class EndlessPiece implements AutoCloseable {

    /** Spectrogram frames of context on each side of a stretch, and of the audio cross-fade. */
    public static final int FADE_FRAMES = 10;

    /** Default clips over which a new prompt takes over. */
    public static final int DEFAULT_MORPH_CLIPS = 3;

    private final GenerationRequest request;
    private final SpectrogramParams params;
    private final SpectrogramConverter converter;
    private final ClipPlan pair;
    private final int morphClips;
    private int carriedPx;
    private final NDManager manager;

    private String prompt;
    private TextConditioning from;
    private TextConditioning to;
    private int morphStep;
    private NDArray tail;
    private Spectrogram previous;
    private float[][] lookahead;
    private double gain = Double.NaN;
    private int index;

    /**
     * @param request the first prompt, negative prompt, guidance, steps, scheduler, clip width and
     *     height, and the piece's seed (clip {@code i} uses {@link LongformGenerator#clipSeed})
     * @param overlap pixels consecutive clips share: a multiple of the model's pixels per latent,
     *     at most half a clip
     * @param morphClips clips over which a new prompt takes over (1: at once)
     * @throws IllegalArgumentException if the sizes do not fit each other
     */
    public EndlessPiece(
            GenerationRequest request, SpectrogramParams params, int overlap, int morphClips) {
        if (request.batch() != 1) {
            throw new IllegalArgumentException("a piece is one generation, got a batch");
        }
        if (overlap < 0 || overlap > request.width() / 2) {
            throw new IllegalArgumentException(
                    "overlap must be in [0, half a clip: "
                            + request.width() / 2
                            + "] px, got "
                            + overlap);
        }
        if (morphClips < 1) {
            throw new IllegalArgumentException("morph clips must be >= 1, got " + morphClips);
        }
        this.request = request;
        this.params = params;
        this.converter = new SpectrogramConverter(params);
        this.pair = new ClipPlan(2 * request.width() - overlap, request.width(), overlap);
        this.morphClips = morphClips;
        this.prompt = request.prompt();
        this.manager = Engines.newManager();
    }

    /** Clips made so far. */
    public int clips() {
        return index;
    }

    /** How the piece's clips are laid out: two clips, as wide and overlapping as all of them. */
    public ClipPlan pair() {
        return pair;
    }

    /** Pixels of each overlap where the later clip keeps the earlier one's frames. */
    public int carriedPixels() {
        return carriedPx;
    }

    /**
     * The fewest further clips whose stretches and {@link #ending()} last at least {@code seconds}
     * (at least one).
     */
    public int clipsFor(double seconds, int pixelsPerLatent) {
        int carried = pair.overlap() / pixelsPerLatent / 2 * pixelsPerLatent;
        double frames = seconds * params.sampleRate() / params.hopLength() + 1;
        // The first clip brings a whole clip, every later one a stride.
        double first = index == 0 ? pair.width() : pair.width() - carried;
        return 1 + (int) Math.max(0, Math.ceil((frames - first) / pair.stride()));
    }

    /** The prompt the piece is moving to (or playing). */
    public String prompt() {
        return prompt;
    }

    /**
     * The next clip and the stretch of audio that follows the last one returned.
     *
     * @param newPrompt a prompt to move to over the next clips, or null to keep going
     * @param progress told each denoising step (image index = this clip's index)
     * @throws IllegalArgumentException if the clip size does not fit the model or the overlap its
     *     latent grid
     */
    public PieceClip next(
            StableDiffusionPipeline pipeline, String newPrompt, GenerationProgress progress) {
        int f = pipeline.pixelsPerLatent();
        if (pair.overlap() % f != 0) {
            throw new IllegalArgumentException(
                    "overlap "
                            + pair.overlap()
                            + " px is not a multiple of "
                            + f
                            + " px per latent");
        }
        Shape shape = pipeline.latentShape(request.width(), request.height());
        carriedPx = pair.overlap() / f / 2 * f;
        double morph = condition(pipeline, newPrompt);
        long seed = LongformGenerator.clipSeed(request.seed(), index);
        BufferedImage image;
        try (NDManager m = manager.newSubManager()) {
            TextConditioning text = conditioning(morph, m);
            NoiseSource noise = NoiseSource.seeded(seed);
            NDArray initial = noise.next(m, shape, DataType.FLOAT32);
            LatentInit init = tail == null ? null : LongformGenerator.continuation(tail, shape, m);
            int clip = index;
            NDArray latents =
                    pipeline.denoise(
                            text,
                            initial,
                            init,
                            request.steps(),
                            pipeline.scheduler(request.scheduler()),
                            noise,
                            (img, step, steps) -> progress.stepDone(clip, step, steps));
            image = pipeline.decodeImage(latents, m);
            NDArray next = new LongformGenerator(pipeline, params).tail(latents, pair, manager);
            if (tail != null) {
                tail.close();
            }
            tail = next;
        }
        if (morph >= 1 && from != to) {
            from.context().close();
            from = to;
        }
        Spectrogram own =
                SpectrogramImage.toSpectrogram(image, params, SpectrogramImage.DEFAULT_MAX_VALUE);
        Spectrogram joined = previous == null ? own : joinToPrevious(own);
        Audio stream = stream(joined);
        previous = joined;
        int made = index++;
        return new PieceClip(made, image, stream, prompt, morph, seed);
    }

    /**
     * Moves to {@code newPrompt} when it differs from the current one; the fraction of the way from
     * the old conditioning to the new at which this clip is made.
     */
    private double condition(StableDiffusionPipeline pipeline, String newPrompt) {
        if (to == null) {
            to = encode(pipeline, newPrompt == null ? prompt : newPrompt);
            from = to;
            prompt = newPrompt == null ? prompt : newPrompt;
            morphStep = morphClips;
            return 1;
        }
        if (newPrompt != null && !newPrompt.equals(prompt)) {
            // Start from where the piece is now, even in the middle of an earlier move.
            double t = Math.min(1, (double) morphStep / morphClips);
            TextConditioning now = t >= 1 ? to : TextConditioning.lerp(from, to, t);
            if (from != to) {
                from.context().close();
            }
            if (to != now) {
                to.context().close();
            }
            from = now;
            to = encode(pipeline, newPrompt);
            prompt = newPrompt;
            morphStep = 0;
        }
        morphStep = Math.min(morphClips, morphStep + 1);
        return (double) morphStep / morphClips;
    }

    /** The conditioning a fraction {@code t} of the way from the old prompt to the new. */
    private TextConditioning conditioning(double t, NDManager m) {
        if (t >= 1) {
            return to;
        }
        TextConditioning mixed = TextConditioning.lerp(from, to, t);
        mixed.context().attach(m);
        return mixed;
    }

    private TextConditioning encode(StableDiffusionPipeline pipeline, String text) {
        return pipeline.encodePrompt(text, request.negativePrompt(), request.guidance(), manager);
    }

    /**
     * This clip's frames with its first overlap cross-faded from the previous clip's last, as
     * {@link SpectrogramStitcher} joins a long piece.
     */
    private Spectrogram joinToPrevious(Spectrogram own) {
        Spectrogram both = new SpectrogramStitcher(pair, carriedPx).stitch(List.of(previous, own));
        return slice(both, pair.stride(), pair.stride() + pair.width());
    }

    /**
     * The stretch after the last one returned: frames up to the next clip's pinned columns (past
     * them the next clip will cross-fade), cross-faded into the previous stretch's look-ahead.
     */
    private Audio stream(Spectrogram joined) {
        int start = index == 0 ? 0 : carriedPx;
        Stretch s = invert(joined, start, pair.stride() + carriedPx, gain);
        gain = s.gain;
        lookahead = s.lookahead;
        return s.audio;
    }

    /**
     * What is left of the piece after the last stretch {@link #next} returned: the last clip's
     * frames it held back for the next clip, so that the stretches so far and this one make the
     * whole piece, {@code (frames - 1) · hop} samples as any piece. The piece can still go on: this
     * changes nothing.
     *
     * @throws IllegalStateException before the first clip
     */
    public Audio ending() {
        if (previous == null) {
            throw new IllegalStateException("the piece has no clip yet");
        }
        return invert(previous, pair.stride() + carriedPx, previous.frames(), gain).audio;
    }

    /** A stretch of audio, the level it was set at and the inversion's samples past its end. */
    private record Stretch(Audio audio, double gain, float[][] lookahead) {}

    /**
     * Frames {@code [start, end)} of {@code clip} as audio at {@code level} (NaN: set by this
     * stretch), inverted with up to {@value #FADE_FRAMES} frames of context on each side and
     * cross-faded into the look-ahead of the stretch before.
     */
    private Stretch invert(Spectrogram clip, int start, int end, double level) {
        int before = Math.min(FADE_FRAMES, start);
        int after = Math.min(FADE_FRAMES, clip.frames() - end);
        Spectrogram window = slice(clip, start - before, end + after);
        Audio raw = converter.audioAtScale(window, request.seed() + index, new StepTimes());
        double ceiling = LoudnessNormalizer.ceiling();
        if (Double.isNaN(level)) {
            level = LoudnessNormalizer.gain(raw);
        } else if (raw.peak() * level > ceiling) {
            level = ceiling / raw.peak();
        }
        Audio scaled = Double.isNaN(level) ? raw : LoudnessNormalizer.scale(raw, level);
        int from = before * params.hopLength();
        int length = Math.min((end - start) * params.hopLength(), scaled.frames() - from);
        float[][] out = new float[scaled.channelCount()][];
        float[][] ahead = new float[scaled.channelCount()][];
        for (int c = 0; c < out.length; c++) {
            float[] y = scaled.channel(c);
            out[c] = Arrays.copyOfRange(y, from, from + length);
            ahead[c] = Arrays.copyOfRange(y, from + length, y.length);
            if (lookahead != null && c < lookahead.length) {
                crossFade(lookahead[c], out[c]);
            }
        }
        return new Stretch(new Audio(out, scaled.sampleRate()), level, ahead);
    }

    /** Equal power from {@code old} into {@code fresh} over {@code old}'s length, in place. */
    private static void crossFade(float[] old, float[] fresh) {
        int n = Math.min(old.length, fresh.length);
        for (int i = 0; i < n; i++) {
            double w = (i + 0.5) / n * Math.PI / 2;
            fresh[i] = (float) (Math.cos(w) * old[i] + Math.sin(w) * fresh[i]);
        }
    }

    private static Spectrogram slice(Spectrogram s, int from, int to) {
        float[][][] d = s.data();
        float[][][] out = new float[d.length][][];
        for (int c = 0; c < d.length; c++) {
            out[c] = new float[d[c].length][];
            for (int m = 0; m < d[c].length; m++) {
                out[c][m] = Arrays.copyOfRange(d[c][m], from, to);
            }
        }
        return new Spectrogram(out, s.params());
    }

    @Override
    public void close() {
        manager.close();
    }
}
