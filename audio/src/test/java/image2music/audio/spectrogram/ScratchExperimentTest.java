package image2music.audio.spectrogram;

import image2music.audio.Audio;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ScratchExperimentTest {
    @Test
    void experiment() throws Exception {
        Audio wav = Fixtures.wav(Fixtures.RIFFUSION + "chords_5s12.wav");
        SpectrogramParams p = SpectrogramParams.defaults();
        long t0 = System.nanoTime();
        SpectrogramConverter conv = new SpectrogramConverter(p);
        System.out.printf("construct %.1f ms%n", (System.nanoTime() - t0) / 1e6);
        Spectrogram s = null;
        for (int i = 0; i < 5; i++) {
            t0 = System.nanoTime();
            s = conv.spectrogramFromAudio(wav);
            System.out.printf("mel %.1f ms%n", (System.nanoTime() - t0) / 1e6);
        }
        Fixtures.Npy npy = Fixtures.npy(Fixtures.RIFFUSION + "chords_5s12.mel_f32.npy");
        float max = 0; double maxErr = 0;
        for (float v : npy.data()) max = Math.max(max, v);
        for (int i = 0; i < 512; i++) for (int t = 0; t < 513; t++) {
            maxErr = Math.max(maxErr, Math.abs(npy.data()[i * 513 + t] - s.data()[0][i][t]));
        }
        System.out.printf("npy max %f ours %f maxErr/max %.3g%n", max, s.max(), maxErr / max);
        BufferedImage ours = SpectrogramImage.fromSpectrogram(s);
        BufferedImage ref = Fixtures.image(Fixtures.RIFFUSION + "chords_5s12.png");
        int diff = 0, maxd = 0;
        for (int y = 0; y < 512; y++) for (int x = 0; x < 513; x++) {
            int d = Math.abs((ours.getRGB(x, y) & 0xFF) - (ref.getRGB(x, y) & 0xFF));
            if (d > 0) diff++;
            maxd = Math.max(maxd, d);
        }
        System.out.printf("pixels differing %d, max %d%n", diff, maxd);
        Spectrogram fromImg = SpectrogramImage.toSpectrogram(ref, p, 14294572.0);
        System.out.printf("quantisation SC %.4f%n", SpectralConvergence.between(s, fromImg));
        for (int iters : new int[] {0, 8, 16, 32}) {
            SpectrogramConverter c2 = new SpectrogramConverter(p.withGriffinLimIters(iters));
            for (int r = 0; r < 2; r++) {
                t0 = System.nanoTime();
                Audio out = c2.audioFromSpectrogram(fromImg, 0);
                double ms = (System.nanoTime() - t0) / 1e6;
                Spectrogram back = conv.spectrogramFromAudio(out);
                System.out.printf("iters %d: %.0f ms SC vs wav %.4f vs img %.4f peak %.3f%n", iters, ms,
                        SpectralConvergence.between(s, back), SpectralConvergence.between(fromImg, back), out.peak());
            }
        }
    }
}
