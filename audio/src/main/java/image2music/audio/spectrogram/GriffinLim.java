package image2music.audio.spectrogram;

/**
 * Fast Griffin-Lim phase recovery (Perraudin, Balazs and Sondergaard 2013) with torchaudio's
 * momentum formula: {@code c = rebuilt - (m / (1 + m)) * previous rebuilt}, phase = c / |c|.
 *
 * <p>Optionally the target magnitude follows the mel spectrogram instead of staying fixed: after
 * each rebuild, the rebuilt magnitude is projected (least squares) onto the magnitudes whose mel is
 * the target mel. The fine structure a consistent signal develops is then kept rather than
 * overwritten by the smooth minimum-norm estimate, and the output's mel converges to the target.
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
     * @param mag target magnitudes, updated in place when {@code melTarget} is given
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
        float[][] angles = new float[frames][2 * bins];
        Parallel.forRange(
                frames,
                16,
                (from, to) -> {
                    for (int t = from; t < to; t++) {
                        float[] a = angles[t];
                        float[] ph = phase[t];
                        for (int k = 0; k < bins; k++) {
                            a[2 * k] = FastTrig.cos(ph[k]);
                            a[2 * k + 1] = FastTrig.sin(ph[k]);
                        }
                    }
                });
        float[] inverseEnvelope = stft.inverseEnvelope(frames, length);
        float[][] previous = new float[frames][2 * bins];
        float[][] windowed = new float[frames][stft.winLength];
        float alpha = MOMENTUM / (1 + MOMENTUM);
        for (int it = 0; it < iters; it++) {
            float[] y = synthesize(mag, angles, windowed, inverseEnvelope);
            boolean first = it == 0;
            ThreadLocal<float[]> magScratch = ThreadLocal.withInitial(() -> new float[bins]);
            ThreadLocal<InverseMel.Scratch> melScratch =
                    ThreadLocal.withInitial(() -> inverseMel.newScratch());
            stft.analyze(
                    y,
                    1f,
                    frames,
                    (t, rebuilt) -> {
                        if (melTarget != null) {
                            float[] m = magScratch.get();
                            MelSpectrogram.magnitudes(rebuilt, m, bins);
                            inverseMel.project(m, melTarget[t], mag[t], melScratch.get());
                        }
                        float[] a = angles[t];
                        float[] prev = previous[t];
                        for (int j = 0; j < 2 * bins; j += 2) {
                            float re = rebuilt[j];
                            float im = rebuilt[j + 1];
                            float cr = first ? re : re - alpha * prev[j];
                            float ci = first ? im : im - alpha * prev[j + 1];
                            float inv = 1f / ((float) Math.sqrt(cr * cr + ci * ci) + 1e-16f);
                            a[j] = cr * inv;
                            a[j + 1] = ci * inv;
                            prev[j] = re;
                            prev[j + 1] = im;
                        }
                    });
        }
        return synthesize(mag, angles, windowed, inverseEnvelope);
    }

    /** ISTFT of {@code mag * angles}. */
    private float[] synthesize(
            float[][] mag, float[][] angles, float[][] windowed, float[] inverseEnvelope) {
        int frames = mag.length;
        int bins = stft.bins;
        Fftw.RealFft fft = stft.fft();
        Parallel.forRange(
                frames,
                8,
                (from, to) -> {
                    Fftw.Buffers b = fft.acquire();
                    float[] reIm = new float[2 * bins];
                    float[] zeros = stft.zeroTail();
                    try {
                        for (int t = from; t < to; t++) {
                            float[] m = mag[t];
                            float[] a = angles[t];
                            for (int k = 0; k < bins; k++) {
                                reIm[2 * k] = m[k] * a[2 * k];
                                reIm[2 * k + 1] = m[k] * a[2 * k + 1];
                            }
                            stft.synthesizeFrame(b, reIm, zeros, windowed[t]);
                        }
                    } finally {
                        fft.release(b);
                    }
                });
        return stft.overlapAdd(windowed, inverseEnvelope.length, inverseEnvelope);
    }
}
