package image2music.audio.longform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.audio.spectrogram.Spectrogram;
import image2music.audio.spectrogram.SpectrogramParams;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SpectrogramStitcherTest {

    static final SpectrogramParams PARAMS = SpectrogramParams.defaults();

    /** Clip {@code i} of {@code plan} cut from {@code piece} and scaled by {@code gains[i]}. */
    static List<Spectrogram> cut(Spectrogram piece, ClipPlan plan, double[] gains) {
        List<Spectrogram> clips = new ArrayList<>();
        float[][][] src = piece.data();
        for (int i = 0; i < plan.clipCount(); i++) {
            int start = plan.start(i);
            int frames = plan.usedFrames(i);
            float[][][] d = new float[src.length][src[0].length][frames];
            for (int c = 0; c < src.length; c++) {
                for (int m = 0; m < src[c].length; m++) {
                    for (int t = 0; t < frames; t++) {
                        d[c][m][t] = (float) (src[c][m][start + t] * gains[i]);
                    }
                }
            }
            clips.add(new Spectrogram(d, piece.params()));
        }
        return clips;
    }

    static Spectrogram random(SpectrogramParams p, int frames, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][][] d = new float[p.channels()][p.numFrequencies()][frames];
        for (float[][] ch : d) {
            for (float[] row : ch) {
                for (int t = 0; t < frames; t++) {
                    row[t] = (float) r.nextDouble(0, 1000);
                }
            }
        }
        return new Spectrogram(d, p);
    }

    @Test
    void fadeIsSymmetricAndStaysInsideZeroOne() {
        for (int overlap : new int[] {1, 2, 7, 64}) {
            for (int k = 0; k < overlap; k++) {
                double w = SpectrogramStitcher.fadeIn(k, overlap);
                assertTrue(w > 0 && w < 1, "w(" + k + ") = " + w);
                assertEquals(1, w + SpectrogramStitcher.fadeIn(overlap - 1 - k, overlap), 1e-12);
                if (k > 0) {
                    assertTrue(w > SpectrogramStitcher.fadeIn(k - 1, overlap));
                }
            }
        }
        assertEquals(0.5, SpectrogramStitcher.fadeIn(0, 1), 1e-12);
    }

    @Test
    void clipsCutFromOnePieceStitchBackToIt() {
        SpectrogramParams stereo = PARAMS.withStereo(true);
        Spectrogram piece = random(stereo, 700, 1);
        ClipPlan plan = new ClipPlan(700, 200, 48);
        double[] ones = {1, 1, 1, 1, 1};
        Spectrogram back = new SpectrogramStitcher(plan).stitch(cut(piece, plan, ones));
        assertEquals(700, back.frames());
        for (int c = 0; c < 2; c++) {
            for (int m = 0; m < PARAMS.numFrequencies(); m++) {
                for (int t = 0; t < 700; t++) {
                    assertEquals(piece.data()[c][m][t], back.data()[c][m][t], 1e-3);
                }
            }
        }
    }

    @Test
    void overlapIsTheWeightedMeanOfBothClips() {
        ClipPlan plan = new ClipPlan(12, 8, 4);
        float[][][] a = new float[1][PARAMS.numFrequencies()][8];
        float[][][] b = new float[1][PARAMS.numFrequencies()][8];
        for (int m = 0; m < PARAMS.numFrequencies(); m++) {
            java.util.Arrays.fill(a[0][m], 10);
            java.util.Arrays.fill(b[0][m], 2);
        }
        Spectrogram s =
                new SpectrogramStitcher(plan)
                        .stitch(List.of(new Spectrogram(a, PARAMS), new Spectrogram(b, PARAMS)));
        float[] row = s.data()[0][100];
        for (int t = 0; t < 4; t++) {
            assertEquals(10, row[t], 0);
        }
        for (int k = 0; k < 4; k++) {
            double w = SpectrogramStitcher.fadeIn(k, 4);
            assertEquals(10 * (1 - w) + 2 * w, row[4 + k], 1e-5);
        }
        for (int t = 8; t < 12; t++) {
            assertEquals(2, row[t], 0);
        }
    }

    @Test
    void aFadeStartKeepsTheEarlierClipThenFadesOverTheRest() {
        ClipPlan plan = new ClipPlan(10, 8, 6);
        float[][][] a = new float[1][PARAMS.numFrequencies()][8];
        float[][][] b = new float[1][PARAMS.numFrequencies()][8];
        for (int m = 0; m < PARAMS.numFrequencies(); m++) {
            java.util.Arrays.fill(a[0][m], 10);
            java.util.Arrays.fill(b[0][m], 2);
        }
        SpectrogramStitcher stitcher = new SpectrogramStitcher(plan, 2);
        float[] row =
                stitcher.stitch(List.of(new Spectrogram(a, PARAMS), new Spectrogram(b, PARAMS)))
                        .data()[0][100];
        // The overlap is frames 2..7: 2 and 3 kept from the first clip, 4..7 faded.
        for (int t = 0; t < 4; t++) {
            assertEquals(10, row[t], 0);
        }
        for (int k = 0; k < 4; k++) {
            double w = SpectrogramStitcher.fadeIn(k, 4);
            assertEquals(10 * (1 - w) + 2 * w, row[4 + k], 1e-5);
        }
        for (int t = 8; t < 10; t++) {
            assertEquals(2, row[t], 0);
        }
        assertArrayEquals(new int[] {6}, stitcher.joins());
        assertThrows(IllegalArgumentException.class, () -> new SpectrogramStitcher(plan, 6));
        assertThrows(IllegalArgumentException.class, () -> new SpectrogramStitcher(plan, -1));
    }

    @Test
    void rejectsClipsThatDoNotFitThePlan() {
        ClipPlan plan = new ClipPlan(300, 200, 48);
        SpectrogramStitcher stitcher = new SpectrogramStitcher(plan);
        Spectrogram full = random(PARAMS, 200, 2);
        IllegalArgumentException count =
                assertThrows(IllegalArgumentException.class, () -> stitcher.stitch(List.of(full)));
        assertTrue(count.getMessage().contains("2 clips"), count.getMessage());
        IllegalArgumentException size =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> stitcher.stitch(List.of(random(PARAMS, 199, 3), full)));
        assertTrue(size.getMessage().contains("clip 0 has 199 frames"), size.getMessage());
        // The last clip may be cut to the frames the piece uses (148), not shorter.
        assertEquals(300, stitcher.stitch(List.of(full, random(PARAMS, 148, 4))).frames());
        assertThrows(
                IllegalArgumentException.class,
                () -> stitcher.stitch(List.of(full, random(PARAMS, 147, 4))));
        assertThrows(
                IllegalArgumentException.class,
                () -> stitcher.stitch(List.of(full, random(PARAMS.withStereo(true), 200, 5))));
    }
}
