package image2music.audio.spectrogram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StftTest {

    static final SpectrogramParams PARAMS = SpectrogramParams.defaults();

    /** torch.stft's frame t, computed the slow way: reflect-padded, window centred, direct DFT. */
    static double[] directBin(float[] x, int t, int k) {
        int nFft = PARAMS.nFft();
        int win = PARAMS.winLength();
        float[] w = Stft.hannPeriodic(win);
        int left = (nFft - win) / 2;
        double re = 0;
        double im = 0;
        for (int j = 0; j < win; j++) {
            int framePos = left + j;
            int idx = t * PARAMS.hopLength() - nFft / 2 + framePos;
            double v = x[Stft.reflect(idx, x.length)] * w[j];
            double ang = -2 * Math.PI * (double) k * framePos / nFft;
            re += v * Math.cos(ang);
            im += v * Math.sin(ang);
        }
        return new double[] {re, im};
    }

    @Test
    void magnitudesMatchDirectDftWithReflectPaddingAtBothEdges() {
        SplittableRandom r = new SplittableRandom(1);
        float[] x = new float[20_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        Stft stft = new Stft(PARAMS, 4001);
        int frames = stft.frames(x.length);
        assertEquals(1 + 20_000 / 441, frames);
        float[][] got = new float[frames][];
        stft.analyze(x, 1f, frames, (t, reIm) -> got[t] = reIm.clone());
        for (int t : new int[] {0, 1, 20, frames - 1}) {
            for (int k : new int[] {0, 1, 7, 999, 4000}) {
                double[] d = directBin(x, t, k);
                double expected = Math.hypot(d[0], d[1]);
                double actual = Math.hypot(got[t][2 * k], got[t][2 * k + 1]);
                assertEquals(expected, actual, 1e-3 * (1 + expected), "frame " + t + " bin " + k);
            }
        }
    }

    @Test
    void reflectIndexingMatchesNumpy() {
        // numpy.pad([0, 1, 2, 3], 3, mode="reflect") -> 3 2 1 | 0 1 2 3 | 2 1 0
        int[] expected = {3, 2, 1, 0, 1, 2, 3, 2, 1, 0};
        for (int i = -3; i <= 6; i++) {
            assertEquals(expected[i + 3], Stft.reflect(i, 4), "index " + i);
        }
        assertEquals(0, Stft.reflect(-5, 1));
    }

    @Test
    void inverseOfForwardRestoresABandLimitedSignal() {
        Stft stft = new Stft(PARAMS, 4001);
        float[] x = new float[441 * 60];
        for (int i = 0; i < x.length; i++) {
            x[i] =
                    (float)
                            (0.5 * Math.sin(2 * Math.PI * 440 * i / 44100.0)
                                    + 0.25 * Math.sin(2 * Math.PI * 3000 * i / 44100.0));
        }
        int frames = stft.frames(x.length - 1);
        float[][] windowed = new float[frames][stft.winLength];
        Fftw.RealFft fft = stft.fft();
        Fftw.Buffers b = fft.acquire();
        float[] zeros = stft.zeroTail();
        float[][] spectra = new float[frames][];
        stft.analyze(x, 1f, frames, (t, reIm) -> spectra[t] = reIm.clone());
        for (int t = 0; t < frames; t++) {
            stft.synthesizeFrame(b, spectra[t], zeros, windowed[t]);
        }
        fft.release(b);
        int length = (frames - 1) * stft.hop;
        float[] y = stft.overlapAdd(windowed, length, stft.inverseEnvelope(frames, length));
        // Reflect padding puts a kink at the edges whose spectrum reaches past the kept bins, so
        // only the samples no edge frame touches are exact.
        double err = 0;
        for (int i = stft.winLength / 2; i < length - stft.winLength / 2; i++) {
            err = Math.max(err, Math.abs(y[i] - x[i]));
        }
        assertTrue(err < 1e-4, "max reconstruction error " + err);
    }
}
