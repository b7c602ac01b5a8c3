package image2music.audio.spectrogram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MelFilterbankTest {

    static final MelFilterbank FB = MelFilterbank.of(SpectrogramParams.defaults());

    @Test
    void htkScaleAndFilterSupport() {
        assertEquals(2595 * Math.log10(1 + 1000 / 700.0), MelScale.hzToMel(1000), 1e-9);
        assertEquals(1000, MelScale.melToHz(MelScale.hzToMel(1000)), 1e-9);
        assertEquals(512, FB.mels);
        // Nothing at or above 10 kHz (bin 4000 = 10 kHz exactly has weight 0).
        assertEquals(4000, FB.bins);
        for (int i = 0; i < FB.mels; i++) {
            assertTrue(FB.end[i] > FB.start[i], "filter " + i + " is empty");
            float peak = 0;
            for (float w : FB.weights[i]) {
                peak = Math.max(peak, w);
                assertTrue(w > 0 && w <= 1, "weight " + w);
            }
            assertTrue(peak > 0.3, "filter " + i + " peaks at " + peak);
        }
    }

    @Test
    void transposeIsTheAdjoint() {
        SplittableRandom r = new SplittableRandom(3);
        float[] x = new float[FB.bins];
        double[] y = new double[FB.mels];
        for (int k = 0; k < x.length; k++) {
            x[k] = (float) r.nextDouble();
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextDouble();
        }
        float[] mx = new float[FB.mels];
        float[] mty = new float[FB.bins];
        FB.apply(x, mx);
        FB.applyTransposed(y, mty);
        double a = 0;
        double b = 0;
        for (int i = 0; i < y.length; i++) {
            a += mx[i] * y[i];
        }
        for (int k = 0; k < x.length; k++) {
            b += x[k] * mty[k];
        }
        assertEquals(a, b, 1e-4 * Math.abs(a));
    }

    @Test
    void inverseMelReproducesTheMelOfNonNegativeSpectra() {
        InverseMel inv = new InverseMel(FB);
        SplittableRandom r = new SplittableRandom(5);
        float[] truth = new float[FB.bins];
        for (int k = 0; k < truth.length; k++) {
            truth[k] = (float) (r.nextDouble() * 1000 / (1 + k / 100.0));
        }
        float[] mel = new float[FB.mels];
        FB.apply(truth, mel);
        float[] linear = new float[FB.bins];
        inv.invert(mel, 4, linear, inv.newScratch());
        float[] back = new float[FB.mels];
        FB.apply(linear, back);
        double err = 0;
        double norm = 0;
        for (int i = 0; i < mel.length; i++) {
            err += (back[i] - mel[i]) * (double) (back[i] - mel[i]);
            norm += mel[i] * (double) mel[i];
        }
        for (float v : linear) {
            assertTrue(v >= 0, "negative magnitude " + v);
        }
        assertTrue(Math.sqrt(err / norm) < 1e-3, "relative mel error " + Math.sqrt(err / norm));
    }
}
