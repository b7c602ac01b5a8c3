package image2music.audio.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.audio.Audio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResamplerTest {

    /** Output samples at each end left out of comparisons: the kernel sees the zero padding. */
    private static final double EDGE_SECONDS = 0.05;

    /** Largest allowed deviation from the ideal output tone, relative to its amplitude, in dB. */
    private static final double TONE_ERROR_DB = -70;

    private static final double MAX_GAIN_ERROR_DB = 0.1;
    private static final double MIN_ALIAS_REJECTION_DB = 80;

    @ParameterizedTest(name = "{0} -> {1} Hz, {2} Hz tone")
    @CsvSource({
        "8000, 44100, 440",
        "8000, 44100, 3000",
        "22050, 44100, 1000",
        "22050, 44100, 9000",
        "32000, 44100, 12000",
        "48000, 44100, 1000",
        "48000, 44100, 17500",
        "96000, 44100, 440",
        "44100, 16000, 440",
        "44100, 16000, 6000",
        "44100, 44101, 5000",
        "11025, 96000, 4000"
    })
    void passesToneWithExactGainFrequencyAndNoDelay(int from, int to, double hz) {
        double amplitude = 0.5;
        double phase = 0.3;
        Audio out = Resampler.resample(tone(from, hz, amplitude, phase, 1.0), to);
        assertEquals(to, out.sampleRate());
        // Compare with the tone sampled directly at the new rate: gain, frequency and delay at
        // once.
        float[] y = out.channel(0);
        int edge = (int) (EDGE_SECONDS * to);
        double errSq = 0;
        double gainNum = 0;
        double gainDen = 0;
        for (int j = edge; j < y.length - edge; j++) {
            double ideal = amplitude * Math.sin(2 * Math.PI * hz * j / to + phase);
            errSq += (y[j] - ideal) * (y[j] - ideal);
            gainNum += y[j] * ideal;
            gainDen += ideal * ideal;
        }
        double gainDb = 20 * Math.log10(gainNum / gainDen);
        double errorDb = 10 * Math.log10(errSq / gainDen);
        String where = from + " -> " + to + " Hz, tone " + hz + " Hz";
        assertEquals(0, gainDb, MAX_GAIN_ERROR_DB, where + ": gain dB");
        assertTrue(errorDb < TONE_ERROR_DB, where + ": error " + errorDb + " dB");
    }

    @ParameterizedTest(name = "{0} <-> {1} Hz")
    @CsvSource({"22400, 44100", "44100, 22400", "44100, 16000", "8000, 96000"})
    void passesToneAtThePassBandEdgeAtFullGain(int from, int to) {
        double edgeHz = Resampler.passBandEdgeHz(from, to);
        assertEquals(edgeHz, Resampler.passBandEdgeHz(to, from), 0.0, "symmetric");
        assertTrue(edgeHz < Math.min(from, to) / 2.0, "below the lower Nyquist: " + edgeHz);
        passesToneWithExactGainFrequencyAndNoDelay(from, to, edgeHz);
    }

    @ParameterizedTest(name = "{0} -> {1} Hz, {2} Hz tone")
    @CsvSource({
        "48000, 44100, 22100",
        "48000, 44100, 23000",
        "96000, 44100, 30000",
        "44100, 16000, 8050",
        "44100, 16000, 15000",
        "44100, 8000, 4100"
    })
    void rejectsToneAboveTargetNyquist(int from, int to, double hz) {
        Audio out = Resampler.resample(tone(from, hz, 0.5, 0, 1.0), to);
        double rejectionDb =
                -20 * Math.log10(interiorRms(out.channel(0), to) / (0.5 / Math.sqrt(2)));
        assertTrue(
                rejectionDb >= MIN_ALIAS_REJECTION_DB,
                from + " -> " + to + " Hz, tone " + hz + " Hz: rejected by only " + rejectionDb);
    }

    @Test
    void upsamplingLeavesNoImages() {
        // 22.05 kHz -> 44.1 kHz: a 9 kHz tone must not bring its image at 13.05 kHz along. The
        // ideal-tone comparison catches any image; this checks it against the 80 dB bar.
        int to = 44100;
        Audio out = Resampler.resample(tone(22050, 9000, 0.5, 0, 1.0), to);
        float[] y = out.channel(0);
        float[] residual = new float[y.length];
        for (int j = 0; j < y.length; j++) {
            residual[j] = (float) (y[j] - 0.5 * Math.sin(2 * Math.PI * 9000 * j / to));
        }
        double db = 20 * Math.log10(interiorRms(residual, to) / (0.5 / Math.sqrt(2)));
        assertTrue(db <= -MIN_ALIAS_REJECTION_DB, "image level " + db + " dB");
    }

    @Test
    void returnsTheSameAudioWhenRatesMatch() {
        Audio a = tone(44100, 440, 0.5, 0, 0.1);
        assertSame(a, Resampler.resample(a, 44100));
    }

    @ParameterizedTest
    @CsvSource({
        "0, 48000, 44100",
        "1, 48000, 44100",
        "7, 8000, 44100",
        "12345, 48000, 44100",
        "12345, 44100, 16000",
        "1001, 96000, 44100",
        "999, 44100, 44101",
        "3, 44100, 8000"
    })
    void outputLengthIsRoundedRatio(int n, int from, int to) {
        Audio out = Resampler.resample(Audio.mono(new float[n], from), to);
        long expected = Math.round((double) n * to / from);
        assertEquals(expected, out.frames(), n + " samples " + from + " -> " + to);
    }

    @Test
    void keepsChannelsApart() {
        Audio left = tone(48000, 440, 0.5, 0, 0.5);
        Audio right = tone(48000, 3000, 0.25, 1, 0.5);
        Audio stereo = new Audio(new float[][] {left.channel(0), right.channel(0)}, 48000);
        Audio out = Resampler.resample(stereo, 44100);
        assertEquals(2, out.channelCount());
        float[] l = Resampler.resample(left, 44100).channel(0);
        float[] r = Resampler.resample(right, 44100).channel(0);
        for (int j = 0; j < l.length; j++) {
            assertEquals(l[j], out.channel(0)[j], 0f);
            assertEquals(r[j], out.channel(1)[j], 0f);
        }
    }

    @Test
    void rejectsNonPositiveRate() {
        Audio a = tone(44100, 440, 0.5, 0, 0.01);
        assertThrows(IllegalArgumentException.class, () -> Resampler.resample(a, 0));
    }

    private static Audio tone(int rate, double hz, double amplitude, double phase, double seconds) {
        float[] x = new float[(int) Math.round(seconds * rate)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / rate + phase));
        }
        return Audio.mono(x, rate);
    }

    private static double interiorRms(float[] y, int rate) {
        int edge = (int) (EDGE_SECONDS * rate);
        double sum = 0;
        for (int j = edge; j < y.length - edge; j++) {
            sum += (double) y[j] * y[j];
        }
        return Math.sqrt(sum / (y.length - 2 * edge));
    }
}
