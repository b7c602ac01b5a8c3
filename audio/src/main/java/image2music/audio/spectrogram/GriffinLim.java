package image2music.audio.spectrogram;

/**
 * Fast Griffin-Lim phase recovery (Perraudin, Balazs and Sondergaard 2013) with torchaudio's
 * momentum formula: {@code c = rebuilt - (m / (1 + m)) * previous rebuilt}, phase = c / |c|.
 *
 * <p>The STFT is linear, so {@code rebuilt - a * previous rebuilt} is the STFT of {@code y - a *
 * previous y}: the momentum is applied to the signal (one array) before the analysis, instead of
 * keeping every frame's previous spectrum (half the working set, streamed through memory each
 * iteration). Each frame's new estimate is inverse-transformed and windowed right away, while it is
 * in cache, so only windowed frames are kept between iterations.
 *
 * <p>Optionally the target magnitude follows the mel spectrogram instead of staying fixed: the
 * magnitude of each momentum step, divided by {@code 1 - a} (what the rebuilt magnitude is once
 * successive rebuilds agree), is projected (least squares) onto the magnitudes whose mel is the
 * target mel. The fine structure a consistent signal develops is then kept rather than overwritten
 * by the smooth minimum-norm estimate, and the output's mel converges to the target. (Projecting
 * the momentum step's magnitude unscaled lets the smooth estimate dominate: a 64-bin round trip's
 * mel SC went from 0.036 to 0.086.)
 */
final class GriffinLim {

    /** torchaudio's default and Riffusion's setting. */
    static final float MOMENTUM = 0.99f;

    private final Stft stft;
    private final InverseMel inverseMel;

    GriffinLim(Stft stft, InverseMel inverseMel) {
        this.stft = stft;
        this.inverseMel = inverseMel;
    }

    /**
     * A signal of {@code (frames - 1) * hop} samples whose STFT magnitude approximates {@code
     * mag[frame][bin]}.
     *
     * @param mag initial target magnitudes (not modified)
     * @param phase initial phases {@code [frame][bin]}
     * @param melTarget {@code [frame][mel]} target mel magnitudes, or null for plain Griffin-Lim
     */
    float[] reconstruct(float[][] mag, float[][] phase, float[][] melTarget, int iters) {
        int frames = mag.length;
        int bins = stft.bins;
        int length = (frames - 1) * stft.hop;
        if (length == 0) {
            return new float[0];
        }
        Fftw.RealFft fft = stft.fft();
        // Windowed inverse transforms of the current estimate, a quarter of a spectrum's size.
        float[][] windowed = new float[frames][stft.winLength];
        Parallel.forRange(
                frames,
                16,
                (from, to) -> {
                    float[] c = new float[2 * bins];
                    float[] zeros = stft.zeroTail();
                    for (int t = from; t < to; t++) {
                        float[] m = mag[t];
                        float[] ph = phase[t];
                        for (int k = 0; k < bins; k++) {
                            c[2 * k] = m[k] * FastTrig.cos(ph[k]);
                            c[2 * k + 1] = m[k] * FastTrig.sin(ph[k]);
                        }
                        synthesize(fft, c, zeros, windowed[t]);
                    }
                });
        float[] inverseEnvelope = stft.inverseEnvelope(frames, length);
        float alpha = MOMENTUM / (1 + MOMENTUM);
        float[] previous = null;
        for (int it = 0; it < iters; it++) {
            float[] y = stft.overlapAdd(windowed, length, inverseEnvelope);
            float[] z = y;
            if (previous != null) {
                // The previous signal is not needed past this step: it holds the momentum step.
                for (int i = 0; i < length; i++) {
                    previous[i] = y[i] - alpha * previous[i];
                }
                z = previous;
            }
            previous = y;
            float rebuiltScale = it == 0 ? 1f : 1f / (1f - alpha);
            stft.analyzeChunked(
                    z,
                    1f,
                    frames,
                    () -> {
                        float[] re = new float[bins];
                        float[] im = new float[bins];
                        float[] norm = new float[bins];
                        float[] magScratch = new float[bins];
                        float[] zeros = stft.zeroTail();
                        InverseMel.Scratch melScratch =
                                melTarget == null ? null : inverseMel.newScratch();
                        return (t, reIm) -> {
                            // Split real and imaginary parts: unit-stride loops, which the JIT
                            // vectorises (square roots and divisions included).
                            for (int k = 0, j = 0; k < bins; k++, j += 2) {
                                re[k] = reIm[j];
                                im[k] = reIm[j + 1];
                            }
                            for (int k = 0; k < bins; k++) {
                                norm[k] = (float) Math.sqrt(re[k] * re[k] + im[k] * im[k]);
                            }
                            float[] m = mag[t];
                            if (melTarget != null) {
                                m = magScratch;
                                for (int k = 0; k < bins; k++) {
                                    m[k] = norm[k] * rebuiltScale;
                                }
                                inverseMel.project(m, melTarget[t], m, melScratch);
                            }
                            for (int k = 0; k < bins; k++) {
                                float scale = m[k] / (norm[k] + 1e-16f);
                                re[k] *= scale;
                                im[k] *= scale;
                            }
                            for (int k = 0, j = 0; k < bins; k++, j += 2) {
                                reIm[j] = re[k];
                                reIm[j + 1] = im[k];
                            }
                            synthesize(fft, reIm, zeros, windowed[t]);
                        };
                    });
        }
        return stft.overlapAdd(windowed, length, inverseEnvelope);
    }

    /** One frame's windowed inverse FFT of {@code reIm} into {@code out}. */
    private void synthesize(Fftw.RealFft fft, float[] reIm, float[] zeros, float[] out) {
        Fftw.Buffers b = fft.acquire();
        try {
            stft.synthesizeFrame(b, reIm, zeros, out);
        } finally {
            fft.release(b);
        }
    }
}
