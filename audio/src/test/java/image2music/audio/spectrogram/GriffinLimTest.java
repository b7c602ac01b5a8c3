package image2music.audio.spectrogram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GriffinLimTest {

    // A small STFT (n_fft 256, window 128, hop 32) keeps the textbook version fast.
    private static final Stft STFT = new Stft(256, 128, 32, 100);
    private static final int FRAMES = 60;
    private static final int ITERS = 12;

    /**
     * torchaudio's fast Griffin-Lim as written: every frame keeps its previous rebuilt spectrum,
     * {@code c = rebuilt - a * previous}, {@code c *= mag / |c|}, synthesise, repeat.
     */
    private static float[] textbook(float[][] mag, float[][] phase) {
        int bins = STFT.bins;
        int length = (FRAMES - 1) * STFT.hop;
        float[][] spec = new float[FRAMES][2 * bins];
        for (int t = 0; t < FRAMES; t++) {
            for (int k = 0; k < bins; k++) {
                spec[t][2 * k] = (float) (mag[t][k] * Math.cos(phase[t][k]));
                spec[t][2 * k + 1] = (float) (mag[t][k] * Math.sin(phase[t][k]));
            }
        }
        float[][] previous = new float[FRAMES][2 * bins];
        float[] envelope = STFT.inverseEnvelope(FRAMES, length);
        double a = GriffinLim.MOMENTUM / (1.0 + GriffinLim.MOMENTUM);
        for (int it = 0; it <= ITERS; it++) {
            float[] y = synthesize(spec, length, envelope);
            if (it == ITERS) {
                return y;
            }
            double alpha = it == 0 ? 0 : a;
            STFT.analyze(
                    y,
                    1f,
                    FRAMES,
                    (t, rebuilt) -> {
                        for (int j = 0; j < 2 * bins; j += 2) {
                            double cr = rebuilt[j] - alpha * previous[t][j];
                            double ci = rebuilt[j + 1] - alpha * previous[t][j + 1];
                            double scale = mag[t][j / 2] / (Math.hypot(cr, ci) + 1e-16);
                            spec[t][j] = (float) (cr * scale);
                            spec[t][j + 1] = (float) (ci * scale);
                            previous[t][j] = rebuilt[j];
                            previous[t][j + 1] = rebuilt[j + 1];
                        }
                    });
        }
        throw new AssertionError("unreachable");
    }

    private static float[] synthesize(float[][] spec, int length, float[] envelope) {
        float[][] windowed = new float[FRAMES][STFT.winLength];
        Fftw.Buffers b = STFT.fft().acquire();
        try {
            for (int t = 0; t < FRAMES; t++) {
                STFT.synthesizeFrame(b, spec[t], STFT.zeroTail(), windowed[t]);
            }
        } finally {
            STFT.fft().release(b);
        }
        return STFT.overlapAdd(windowed, length, envelope);
    }

    @Test
    void momentumOnTheSignalEqualsMomentumOnEveryFramesSpectrum() {
        SplittableRandom r = new SplittableRandom(3);
        float[][] mag = new float[FRAMES][STFT.bins];
        float[][] phase = new float[FRAMES][STFT.bins];
        for (int t = 0; t < FRAMES; t++) {
            for (int k = 0; k < STFT.bins; k++) {
                // A few partials that glide, over a low noise floor.
                double partial = Math.exp(-Math.pow((k - 20 - t / 6.0) % 25, 2) / 4);
                mag[t][k] = (float) (partial + 0.01 * r.nextDouble());
                phase[t][k] = (float) (2 * Math.PI * r.nextDouble());
            }
        }
        float[] expected = textbook(mag, phase);
        float[] actual = new GriffinLim(STFT, null).reconstruct(mag, phase, null, ITERS);

        assertEquals(expected.length, actual.length);
        double peak = 0;
        double maxError = 0;
        for (int i = 0; i < expected.length; i++) {
            peak = Math.max(peak, Math.abs(expected[i]));
            maxError = Math.max(maxError, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(peak > 1e-3, "the test signal is not silent: peak " + peak);
        // Same maths in another order: float rounding only.
        assertTrue(maxError < 1e-4 * peak, "max error " + maxError + " of peak " + peak);
    }
}
