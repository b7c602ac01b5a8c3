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
        // spec = target magnitude x unit phasor, ready for the next inverse FFT.
        float[][] spec = new float[frames][2 * bins];
        Parallel.forRange(
                frames,
                16,
                (from, to) -> {
                    for (int t = from; t < to; t++) {
                        float[] c = spec[t];
                        float[] m = mag[t];
                        float[] ph = phase[t];
                        for (int k = 0; k < bins; k++) {
                            c[2 * k] = m[k] * FastTrig.cos(ph[k]);
                            c[2 * k + 1] = m[k] * FastTrig.sin(ph[k]);
                        }
                    }
                });
        float[] inverseEnvelope = stft.inverseEnvelope(frames, length);
        float[][] previous = new float[frames][2 * bins];
        float[][] windowed = new float[frames][stft.winLength];
        float alpha = MOMENTUM / (1 + MOMENTUM);
        for (int it = 0; it < iters; it++) {
            float[] y = synthesize(spec, windowed, inverseEnvelope);
            float a = it == 0 ? 0f : alpha;
            stft.analyzeChunked(
                    y,
                    1f,
                    frames,
                    () -> {
                        float[] magScratch = new float[bins];
                        InverseMel.Scratch melScratch = inverseMel.newScratch();
                        return (t, rebuilt) -> {
                            float[] m = mag[t];
                            if (melTarget != null) {
                                m = magScratch;
                                MelSpectrogram.magnitudes(rebuilt, m, bins);
                                inverseMel.project(m, melTarget[t], m, melScratch);
                            }
                            float[] c = spec[t];
                            float[] prev = previous[t];
                            for (int k = 0, j = 0; k < bins; k++, j += 2) {
                                float re = rebuilt[j];
                                float im = rebuilt[j + 1];
                                float cr = re - a * prev[j];
                                float ci = im - a * prev[j + 1];
                                float scale =
                                        m[k] / ((float) Math.sqrt(cr * cr + ci * ci) + 1e-16f);
                                c[j] = cr * scale;
                                c[j + 1] = ci * scale;
                                prev[j] = re;
                                prev[j + 1] = im;
                            }
                        };
                    });
        }
        return synthesize(spec, windowed, inverseEnvelope);
    }

    /** ISTFT of complex spectra {@code spec[frame]}. */
    private float[] synthesize(float[][] spec, float[][] windowed, float[] inverseEnvelope) {
        int frames = spec.length;
        Fftw.RealFft fft = stft.fft();
        Parallel.forRange(
                frames,
                8,
                (from, to) -> {
                    Fftw.Buffers b = fft.acquire();
                    float[] zeros = stft.zeroTail();
                    try {
                        for (int t = from; t < to; t++) {
                            stft.synthesizeFrame(b, spec[t], zeros, windowed[t]);
                        }
                    } finally {
                        fft.release(b);
                    }
                });
        return stft.overlapAdd(windowed, inverseEnvelope.length, inverseEnvelope);
    }
}
