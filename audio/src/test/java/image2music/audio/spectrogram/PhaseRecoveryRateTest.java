package image2music.audio.spectrogram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.audio.Audio;
import image2music.audio.SyntheticMusic;
import image2music.audio.io.Resampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PhaseRecoveryRateTest {

    @Test
    void riffusionDefaultsRecoverPhaseAt22400Hz() {
        SpectrogramParams p = SpectrogramParams.defaults();
        PhaseRecoveryRate r = PhaseRecoveryRate.of(p, MelFilterbank.of(p).bins);
        assertEquals(new PhaseRecoveryRate(22400, 224, 2240, 8960), r);
        assertTrue(r.isReducedFrom(p));
        assertEquals(224.0 / 441, r.magnitudeScale(p), 1e-12);
    }

    /** Rates with and without integer reductions, and top frequencies up to Nyquist. */
    @ParameterizedTest(name = "{0} Hz, hop {1} ms, window {2} ms, n_fft {3} ms, top {4} Hz")
    @CsvSource({
        "44100, 10, 100, 400, 10000",
        "44100, 10, 100, 400, 16000",
        "48000, 10, 100, 400, 10000",
        "48000, 5, 50, 200, 20000",
        "32000, 10, 100, 400, 8000",
        "22050, 10, 100, 400, 11025",
        "44100, 10, 100, 400, 22050"
    })
    void reducedRateKeepsBinFrequenciesAndTheBandInsideTheResamplersPassBand(
            int rate, int hopMs, int winMs, int nFftMs, int maxHz) {
        SpectrogramParams p =
                new SpectrogramParams(false, rate, hopMs, winMs, nFftMs, 128, 0, maxHz, 0.25, 1);
        int bins = MelFilterbank.of(p).bins;
        PhaseRecoveryRate r = PhaseRecoveryRate.of(p, bins);
        assertTrue(r.sampleRate() <= rate, r.toString());
        // Every length shrinks by the same exact ratio, so bin k is the same frequency.
        assertEquals((long) p.hopLength() * r.sampleRate(), (long) r.hopLength() * rate, "hop");
        assertEquals((long) p.winLength() * r.sampleRate(), (long) r.winLength() * rate, "win");
        assertEquals((long) p.nFft() * r.sampleRate(), (long) r.nFft() * rate, "n_fft");
        if (r.isReducedFrom(p)) {
            double topHz = (bins - 1) * (double) rate / p.nFft() + 2.0 * rate / p.winLength();
            assertTrue(
                    Resampler.passBandEdgeHz(r.sampleRate(), rate) >= topHz,
                    r + " cuts into the band up to " + topHz + " Hz");
            int n = r.nFft();
            for (int f = 2; f <= 7; f++) {
                while (n % f == 0) {
                    n /= f;
                }
            }
            assertEquals(1, n, "n_fft " + r.nFft() + " has a prime factor above 7");
        } else {
            assertEquals(new PhaseRecoveryRate(rate, p.hopLength(), p.winLength(), p.nFft()), r);
        }
    }

    @Test
    void bandNearNyquistFallsBackToTheFullRate() {
        SpectrogramParams p =
                new SpectrogramParams(false, 44100, 10, 100, 400, 512, 0, 21000, 0.25, 1);
        assertEquals(44100, PhaseRecoveryRate.of(p, MelFilterbank.of(p).bins).sampleRate());
    }

    @Test
    void stftMagnitudesScaleByTheWindowSumAcrossRates() {
        // The same band-limited signal sampled at both rates: bin k is the same frequency, and
        // its magnitude scales by magnitudeScale.
        SpectrogramParams p = SpectrogramParams.defaults();
        PhaseRecoveryRate r = PhaseRecoveryRate.of(p, 4001);
        Stft full = new Stft(p, 4001);
        Stft reduced = new Stft(r.nFft(), r.winLength(), r.hopLength(), 4001);
        double[] hz = {220, 1234.5, 5000, 9800};
        float[][] atFull = frame(full, signal(hz, 44100), 10);
        float[][] atReduced = frame(reduced, signal(hz, r.sampleRate()), 10);
        double peak = 0;
        for (float m : atFull[0]) {
            peak = Math.max(peak, m);
        }
        for (int k = 0; k < 4001; k++) {
            assertEquals(
                    atFull[0][k] * r.magnitudeScale(p),
                    atReduced[0][k],
                    1e-4 * peak,
                    "bin " + k + " (" + k * 2.5 + " Hz)");
        }
    }

    @Test
    void reducedRateRebuildsTheSameAudioAsTheFullRate() {
        SpectrogramParams p = SpectrogramParams.defaults().withGriffinLimIters(4);
        SpectrogramConverter full =
                new SpectrogramConverter(
                        p, new PhaseRecoveryRate(44100, p.hopLength(), p.winLength(), p.nFft()));
        SpectrogramConverter reduced = new SpectrogramConverter(p);
        Spectrogram s = full.spectrogramFromAudio(SyntheticMusic.clip(1.0, 44100, 4));
        Audio a = full.audioFromSpectrogram(s, 2);
        Audio b = reduced.audioFromSpectrogram(s, 2);
        assertEquals(44100, b.sampleRate());
        assertEquals(a.frames(), b.frames(), "length");
        float[] x = a.channel(0);
        float[] y = b.channel(0);
        double xy = 0;
        double xx = 0;
        double yy = 0;
        for (int i = 0; i < x.length; i++) {
            xy += (double) x[i] * y[i];
            xx += (double) x[i] * x[i];
            yy += (double) y[i] * y[i];
        }
        double correlation = xy / Math.sqrt(xx * yy);
        assertTrue(correlation > 0.999, "correlation " + correlation);
        assertArrayEquals(y, reduced.audioFromSpectrogram(s, 2).channel(0), "deterministic");
    }

    @Test
    void scaledTargetsRebuildAtTheFullRatesLevelBeforeNormalisation() {
        // Loudness normalisation would hide a wrong scale: compare the raw ISTFT outputs.
        SpectrogramParams p = SpectrogramParams.defaults();
        MelSpectrogram mel = new MelSpectrogram(p);
        InverseMel inverseMel = new InverseMel(mel.filterbank);
        PhaseRecoveryRate r = PhaseRecoveryRate.of(p, mel.stft.bins);
        SpectrogramConverter converter = new SpectrogramConverter(p);
        Spectrogram s = converter.spectrogramFromAudio(SyntheticMusic.clip(1.0, 44100, 6));
        float[][] linear = converter.linearMagnitudes(s.framesOf(0));
        float[][] phase = converter.initialPhase(linear, 0);
        float[] full = new GriffinLim(mel.stft, inverseMel).reconstruct(linear, phase, null, 0);
        float[][] scaled = new float[linear.length][];
        for (int t = 0; t < linear.length; t++) {
            scaled[t] = linear[t].clone();
            for (int k = 0; k < scaled[t].length; k++) {
                scaled[t][k] *= (float) r.magnitudeScale(p);
            }
        }
        Stft reducedStft = new Stft(r.nFft(), r.winLength(), r.hopLength(), mel.stft.bins);
        float[] reduced =
                new GriffinLim(reducedStft, inverseMel).reconstruct(scaled, phase, null, 0);
        float[] resampled =
                Resampler.resample(Audio.mono(reduced, r.sampleRate()), 44100).channel(0);
        assertEquals(full.length, resampled.length, "length");
        double db = 20 * Math.log10(rms(resampled) / rms(full));
        assertEquals(0, db, 0.1, "level difference in dB");
    }

    private static double rms(float[] x) {
        double sum = 0;
        for (float v : x) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum / x.length);
    }

    /** Magnitudes of frame {@code t} at bins 0..4000, as {@code [1][bin]}. */
    private static float[][] frame(Stft stft, float[] x, int t) {
        float[][] mag = new float[1][4001];
        stft.analyze(
                x,
                1f,
                stft.frames(x.length),
                (frame, reIm) -> {
                    if (frame == t) {
                        MelSpectrogram.magnitudes(reIm, mag[0], 4001);
                    }
                });
        return mag;
    }

    private static float[] signal(double[] hz, int rate) {
        float[] x = new float[rate / 2];
        for (int i = 0; i < x.length; i++) {
            double v = 0;
            for (int j = 0; j < hz.length; j++) {
                v += 0.2 * Math.sin(2 * Math.PI * hz[j] * i / rate + j);
            }
            x[i] = (float) v;
        }
        return x;
    }
}
