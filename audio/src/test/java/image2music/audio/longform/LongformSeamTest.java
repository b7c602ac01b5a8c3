package image2music.audio.longform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.audio.Audio;
import image2music.audio.SyntheticMusic;
import image2music.audio.spectrogram.Spectrogram;
import image2music.audio.spectrogram.SpectrogramConverter;
import image2music.audio.spectrogram.SpectrogramParams;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The measures on synthetic music: a 12 s piece cut into overlapping 256-frame windows,
 * each scaled by its own gain (as independently generated clips, each normalised to its own
 * maximum, would be), then joined.
 */
class LongformSeamTest {

    static final SpectrogramParams PARAMS = SpectrogramParams.defaults();
    static final SpectrogramConverter CONVERTER = new SpectrogramConverter(PARAMS);

    /** Fewer Griffin-Lim iterations than the default: the joins, not the quality, are tested. */
    static final SpectrogramConverter FAST_INVERSE =
            new SpectrogramConverter(PARAMS.withGriffinLimIters(16));

    static final int WIDTH = 256;
    static final int OVERLAP = 64;
    static final double[] GAINS = {1.0, 0.5, 1.4, 0.6, 1.2, 0.7};

    /** Frames either side of a join's middle that count as the join. */
    static final int JOIN_RADIUS = 1;

    static ClipPlan plan;
    static Spectrogram piece;
    static List<Spectrogram> clips;
    static int[] joins;

    @BeforeAll
    static void cutClips() {
        plan = ClipPlan.forSeconds(12, WIDTH, OVERLAP);
        assertEquals(GAINS.length, plan.clipCount());
        piece = CONVERTER.spectrogramFromAudio(SyntheticMusic.clip(12, PARAMS.sampleRate(), 7));
        assertEquals(plan.totalFrames(), piece.frames());
        clips = SpectrogramStitcherTest.cut(piece, plan, GAINS);
        joins = new int[plan.clipCount() - 1];
        for (int i = 1; i < plan.clipCount(); i++) {
            joins[i - 1] = plan.start(i) + OVERLAP / 2;
        }
    }

    /** Each clip up to the middle of its overlap with the next, then the next: no cross-fade. */
    static Spectrogram concatenated() {
        float[][][] out = new float[1][PARAMS.numFrequencies()][plan.totalFrames()];
        for (int i = 0; i < plan.clipCount(); i++) {
            int from = i == 0 ? 0 : joins[i - 1];
            int to = i == plan.clipCount() - 1 ? plan.totalFrames() : joins[i];
            float[][] src = clips.get(i).data()[0];
            for (int m = 0; m < src.length; m++) {
                System.arraycopy(src[m], from - plan.start(i), out[0][m], from, to - from);
            }
        }
        return new Spectrogram(out, PARAMS);
    }

    @Test
    void crossFadedJoinsHaveNoFluxSpikeButConcatenatedOnesDo() {
        Spectrogram stitched = new SpectrogramStitcher(plan).stitch(clips);
        SeamReport smooth = SeamMetrics.seams(stitched, joins, JOIN_RADIUS);
        SeamReport naive = SeamMetrics.seams(concatenated(), joins, JOIN_RADIUS);
        String figures =
                "stitched "
                        + Arrays.toString(smooth.joinFlux())
                        + ", concatenated "
                        + Arrays.toString(naive.joinFlux())
                        + ", typical "
                        + smooth.typicalFlux();
        // Measured: stitched 0.59, concatenated 1.36.
        assertTrue(smooth.seamless(), figures);
        assertTrue(smooth.worstRatio() < 0.8, figures);
        assertTrue(naive.worstRatio() > 1.2, figures);
        // The fade adds no flux of its own: at each join the stitched piece changes no more than
        // the original music does there.
        SeamReport original = SeamMetrics.seams(piece, joins, JOIN_RADIUS);
        for (int j = 0; j < joins.length; j++) {
            assertTrue(
                    smooth.joinFlux()[j] <= original.joinFlux()[j] * 1.05 + 0.05,
                    "join " + j + ": " + figures);
        }
    }

    @Test
    void aTiledLoopCorrelatesAtItsPeriodAndMusicDoesNot() {
        Audio clip = SyntheticMusic.clip(2.56, PARAMS.sampleRate(), 3);
        int period = clip.frames() / PARAMS.hopLength();
        assertEquals(256, period);
        float[] tiled = new float[clip.frames() * 4];
        for (int k = 0; k < 4; k++) {
            System.arraycopy(clip.channel(0), 0, tiled, k * clip.frames(), clip.frames());
        }
        Spectrogram loop = CONVERTER.spectrogramFromAudio(Audio.mono(tiled, PARAMS.sampleRate()));
        Spectrogram music =
                CONVERTER.spectrogramFromAudio(SyntheticMusic.clip(10.24, PARAMS.sampleRate(), 3));
        double loopR = SeamMetrics.autocorrelation(loop, period);
        double musicR = SeamMetrics.autocorrelation(music, period);
        // Measured: loop 0.998, music -0.11.
        assertTrue(loopR > 0.99, "loop " + loopR);
        assertTrue(musicR < 0.5, "music " + musicR);
        // The stitched piece is not a loop of its clip stride either.
        Spectrogram stitched = new SpectrogramStitcher(plan).stitch(clips);
        double stitchedR = SeamMetrics.autocorrelation(stitched, plan.stride());
        assertTrue(stitchedR < 0.5, "stitched " + stitchedR);
    }

    @Test
    void stitchedPieceInvertsOnceToTheRightLengthWithoutClicks() {
        Spectrogram stitched = new SpectrogramStitcher(plan).stitch(clips);
        float[] once = FAST_INVERSE.audioFromSpectrogram(stitched, 1).channel(0);
        assertEquals(plan.samples(PARAMS), once.length);
        assertEquals(12 * PARAMS.sampleRate(), once.length);
        double[] smooth = clickRatios(once);
        // Inverting clip by clip and splicing the audio: phases disagree at the splices.
        float[] spliced = new float[once.length];
        for (int i = 0; i < plan.clipCount(); i++) {
            int from = i == 0 ? 0 : joins[i - 1];
            boolean last = i == plan.clipCount() - 1;
            int to = last ? plan.totalFrames() : joins[i];
            // One frame more than the span gives its (frames - 1) * hop samples.
            int frames = last ? to - from : to - from + 1;
            float[][][] part = new float[1][PARAMS.numFrequencies()][frames];
            for (int m = 0; m < PARAMS.numFrequencies(); m++) {
                System.arraycopy(
                        clips.get(i).data()[0][m], from - plan.start(i), part[0][m], 0, frames);
            }
            float[] audio =
                    FAST_INVERSE.audioFromSpectrogram(new Spectrogram(part, PARAMS), 1).channel(0);
            int at = from * PARAMS.hopLength();
            System.arraycopy(audio, 0, spliced, at, Math.min(audio.length, once.length - at));
        }
        double[] clicky = clickRatios(spliced);
        String figures = "once " + Arrays.toString(smooth) + ", spliced " + Arrays.toString(clicky);
        // Measured: once <= 0.85; spliced 0.79, 5.6, 2.2, 0.84, 3.0.
        for (double r : smooth) {
            assertTrue(r <= 1, figures);
        }
        assertTrue(Arrays.stream(clicky).max().orElseThrow() > 2, figures);
    }

    /**
     * For each join, the largest sample-to-sample step within one hop of it over the largest step
     * anywhere else in the piece: above 1, the join has an outlier (a click).
     */
    static double[] clickRatios(float[] y) {
        int hop = PARAMS.hopLength();
        boolean[] nearJoin = new boolean[y.length];
        for (int j : joins) {
            Arrays.fill(nearJoin, (j - 1) * hop, (j + 1) * hop, true);
        }
        double elsewhere = 0;
        for (int i = 1; i < y.length; i++) {
            if (!nearJoin[i]) {
                elsewhere = Math.max(elsewhere, Math.abs(y[i] - y[i - 1]));
            }
        }
        double[] ratios = new double[joins.length];
        for (int k = 0; k < joins.length; k++) {
            double step = 0;
            for (int i = (joins[k] - 1) * hop; i < (joins[k] + 1) * hop; i++) {
                step = Math.max(step, Math.abs(y[i] - y[i - 1]));
            }
            ratios[k] = step / elsewhere;
        }
        return ratios;
    }
}
