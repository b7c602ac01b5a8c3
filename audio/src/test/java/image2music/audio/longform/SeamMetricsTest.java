package image2music.audio.longform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import image2music.audio.spectrogram.Spectrogram;
import image2music.audio.spectrogram.SpectrogramParams;
import org.junit.jupiter.api.Test;

class SeamMetricsTest {

    static final SpectrogramParams PARAMS = SpectrogramParams.defaults();

    /** Every bin at {@code level[t]} in frame {@code t}. */
    static Spectrogram flat(float... level) {
        float[][][] d = new float[1][PARAMS.numFrequencies()][];
        for (int m = 0; m < d[0].length; m++) {
            d[0][m] = level.clone();
        }
        return new Spectrogram(d, PARAMS);
    }

    @Test
    void fluxIsTheL2NormOfCompressedChangesBothWays() {
        double[] flux = SeamMetrics.flux(flat(16, 16, 1, 16));
        // Compressed: 1, 1, 0.5, 1 in 512 bins; a step of 0.5 gives 0.5 * sqrt(512).
        double step = 0.5 * Math.sqrt(512);
        assertEquals(0, flux[0], 0);
        assertEquals(0, flux[1], 1e-9);
        assertEquals(step, flux[2], 1e-5);
        assertEquals(step, flux[3], 1e-5);
    }

    @Test
    void fluxIgnoresOverallLevel() {
        double[] a = SeamMetrics.flux(flat(1, 3, 2, 5));
        double[] b = SeamMetrics.flux(flat(1000, 3000, 2000, 5000));
        for (int t = 0; t < a.length; t++) {
            assertEquals(a[t], b[t], 1e-5);
        }
    }

    @Test
    void joinFluxIsTheLargestNearTheJoin() {
        float[] levels = new float[21];
        java.util.Arrays.fill(levels, 16);
        levels[10] = 1; // a dip: flux at frames 10 and 11
        SeamReport r = SeamMetrics.seams(flat(levels), new int[] {9, 5}, 1);
        assertEquals(0.5 * Math.sqrt(512), r.joinFlux()[0], 1e-5);
        assertEquals(0, r.joinFlux()[1], 1e-9);
        assertEquals(0, r.medianFlux(), 1e-9);
        // Two of the 20 changes are the dip's, so the 95th percentile is the dip's flux too.
        assertEquals(0.5 * Math.sqrt(512), r.typicalFlux(), 1e-5);
        assertEquals(1, r.worstRatio(), 1e-9);
        assertThrows(
                IllegalArgumentException.class,
                () -> SeamMetrics.seams(flat(levels), new int[] {21}, 1));
    }

    @Test
    void autocorrelationOfAPeriodicPatternAtItsPeriodIsOne() {
        float[] levels = new float[40];
        for (int t = 0; t < levels.length; t++) {
            levels[t] = 1 + (t % 8);
        }
        assertEquals(1, SeamMetrics.autocorrelation(flat(levels), 8), 1e-6);
        // Half a period out of step: anti-correlated.
        assertEquals(true, SeamMetrics.autocorrelation(flat(levels), 4) < 0);
        assertThrows(
                IllegalArgumentException.class,
                () -> SeamMetrics.autocorrelation(flat(levels), 40));
    }

    @Test
    void percentileInterpolatesLikeNumpy() {
        double[] v = {4, 1, 3, 2};
        assertEquals(1, SeamMetrics.percentile(v, 0), 0);
        assertEquals(2.5, SeamMetrics.percentile(v, 50), 1e-12);
        assertEquals(3.85, SeamMetrics.percentile(v, 95), 1e-12);
        assertEquals(4, SeamMetrics.percentile(v, 100), 0);
        assertThrows(IllegalArgumentException.class, () -> SeamMetrics.percentile(v, 101));
    }
}
