package image2music.audio.spectrogram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.audio.Audio;
import image2music.audio.SyntheticMusic;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SpectrogramConverterTest {

    static final SpectrogramConverter MONO = new SpectrogramConverter(SpectrogramParams.defaults());

    static Audio sine(double hz, int samples) {
        float[] x = new float[samples];
        for (int i = 0; i < samples; i++) {
            x[i] = (float) (0.5 * Math.sin(2 * Math.PI * hz * i / 44100));
        }
        return Audio.mono(x, 44100);
    }

    @Test
    void sineLandsInItsMelBin() {
        Spectrogram s = MONO.spectrogramFromAudio(sine(1000, 44100));
        assertEquals(101, s.frames());
        int t = 50;
        int best = 0;
        for (int i = 1; i < 512; i++) {
            if (s.data()[0][i][t] > s.data()[0][best][t]) {
                best = i;
            }
        }
        double mel = MelScale.hzToMel(1000);
        double melStep = MelScale.hzToMel(10000) / 513;
        assertEquals(mel / melStep - 1, best, 1.0, "peak bin");
    }

    @Test
    void oddSizesDownToOneSample() {
        for (int samples : new int[] {1, 2, 440, 441, 442, 4000}) {
            Spectrogram s = MONO.spectrogramFromAudio(sine(500, samples));
            assertEquals(1 + samples / 441, s.frames(), samples + " samples");
            Audio back = MONO.audioFromSpectrogram(s, 1);
            assertEquals((s.frames() - 1) * 441, back.frames(), samples + " samples");
        }
    }

    @Test
    void stereoKeepsChannelsApartAndMonoMixes() {
        Audio left = sine(300, 44100);
        Audio right = sine(3000, 44100);
        Audio both = new Audio(new float[][] {left.channel(0), right.channel(0)}, 44100);
        SpectrogramConverter stereo =
                new SpectrogramConverter(SpectrogramParams.defaults().withStereo(true));
        Spectrogram s = stereo.spectrogramFromAudio(both);
        assertEquals(2, s.channels());
        assertArrayEquals(MONO.spectrogramFromAudio(left).data()[0][40], s.data()[0][40], 1e-3f);
        assertArrayEquals(MONO.spectrogramFromAudio(right).data()[0][40], s.data()[1][40], 1e-3f);
        Spectrogram mixed = MONO.spectrogramFromAudio(both);
        assertEquals(1, mixed.channels());

        Audio back = stereo.audioFromSpectrogram(s, 3);
        assertEquals(2, back.channelCount());
        Spectrogram again = stereo.spectrogramFromAudio(back);
        assertTrue(SpectralConvergence.between(s, again) < 0.1);
    }

    @Test
    void wrongRateOrFormatIsRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> MONO.spectrogramFromAudio(Audio.mono(new float[100], 22050)));
        Spectrogram stereo =
                new Spectrogram(
                        new float[2][512][3], SpectrogramParams.defaults().withStereo(true));
        assertThrows(IllegalArgumentException.class, () -> MONO.audioFromSpectrogram(stereo, 0));
    }

    @Test
    void roundTripOfSyntheticMusicIsCloseAndSafeFromManyThreads() throws Exception {
        Audio clip = SyntheticMusic.clip(2.0, 44100, 11);
        Spectrogram s = MONO.spectrogramFromAudio(clip);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<Audio> a = pool.submit(() -> MONO.audioFromSpectrogram(s, 5));
            Future<Audio> b = pool.submit(() -> MONO.audioFromSpectrogram(s, 5));
            Future<Spectrogram> c = pool.submit(() -> MONO.spectrogramFromAudio(clip));
            assertArrayEquals(a.get().channel(0), b.get().channel(0));
            assertArrayEquals(s.data()[0][100], c.get().data()[0][100]);
            double sc = SpectralConvergence.between(s, MONO.spectrogramFromAudio(a.get()));
            assertTrue(sc < 0.08, "mel SC " + sc);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void phaseGradientStartBeatsRandomPhase() {
        Audio clip = SyntheticMusic.clip(1.0, 44100, 2);
        Spectrogram s = MONO.spectrogramFromAudio(clip);
        SpectrogramConverter noIters =
                new SpectrogramConverter(SpectrogramParams.defaults().withGriffinLimIters(0));
        float[][] mel = s.framesOf(0);
        float[][] linear = noIters.linearMagnitudes(mel);
        float[][] pghi = noIters.initialPhase(linear, 0);
        float[][] random = new float[pghi.length][pghi[0].length];
        java.util.SplittableRandom r = new java.util.SplittableRandom(0);
        for (float[] row : random) {
            for (int k = 0; k < row.length; k++) {
                row[k] = (float) (r.nextDouble() * 2 * Math.PI);
            }
        }
        MelSpectrogram ms = new MelSpectrogram(SpectrogramParams.defaults());
        GriffinLim gl = new GriffinLim(ms.stft, new InverseMel(ms.filterbank));
        double scPghi = sc(s, gl.reconstruct(copy(linear), pghi, null, 0));
        double scRandom = sc(s, gl.reconstruct(copy(linear), random, null, 0));
        assertTrue(scPghi < 0.6 * scRandom, "PGHI " + scPghi + " vs random " + scRandom);
    }

    private static double sc(Spectrogram ref, float[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] /= SpectrogramConverter.INT16_SCALE;
        }
        return SpectralConvergence.between(ref, MONO.spectrogramFromAudio(Audio.mono(y, 44100)));
    }

    private static float[][] copy(float[][] a) {
        float[][] c = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }
}
