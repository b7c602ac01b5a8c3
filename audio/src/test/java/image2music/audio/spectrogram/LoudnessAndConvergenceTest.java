package image2music.audio.spectrogram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.audio.Audio;
import org.junit.jupiter.api.Test;

class LoudnessAndConvergenceTest {

    @Test
    void quietSignalIsRaisedToMinus12DbfsRms() {
        float[] x = new float[44100];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.01 * Math.sin(2 * Math.PI * 220 * i / 44100));
        }
        Audio out = LoudnessNormalizer.normalize(Audio.mono(x, 44100));
        assertEquals(-12.0, out.rmsDbfs(), 0.01);
        assertTrue(out.peak() < 1);
    }

    @Test
    void spikySignalIsLimitedByGainNotByClipping() {
        float[] x = new float[44100];
        x[100] = 0.5f;
        x[200] = -0.25f;
        x[300] = 0.001f;
        Audio out = LoudnessNormalizer.normalize(Audio.mono(x, 44100));
        float ceiling = (float) Math.pow(10, -0.1 / 20);
        assertEquals(ceiling, out.peak(), 1e-6);
        // Shape kept: ratios unchanged, so nothing was clipped.
        assertEquals(-0.5, out.channel(0)[200] / out.channel(0)[100], 1e-6);
        assertTrue(out.rmsDbfs() < -12);
    }

    @Test
    void silenceStaysSilent() {
        Audio silent = Audio.mono(new float[10], 44100);
        assertSame(silent, LoudnessNormalizer.normalize(silent));
    }

    @Test
    void convergenceIgnoresGainAndTrimsToTheShorter() {
        SpectrogramParams p =
                new SpectrogramParams(false, 44100, 10, 100, 400, 2, 0, 10000, 0.25, 1);
        float[][][] ref = {{{1, 2, 3}, {4, 5, 6}}};
        float[][][] scaled = {{{2, 4, 6, 100}, {8, 10, 12, 100}}};
        assertEquals(
                0,
                SpectralConvergence.between(new Spectrogram(ref, p), new Spectrogram(scaled, p)),
                1e-12);
        float[][][] off = {{{1, 2, 3}, {4, 5, 0}}};
        double sc = SpectralConvergence.between(ref, off);
        assertTrue(sc > 0.3 && sc < 1, "SC " + sc);
        assertEquals(
                1,
                SpectralConvergence.between(ref, new float[][][] {{{0, 0, 0}, {0, 0, 0}}}),
                1e-12);
    }
}
