package image2music.audio.spectrogram;

/**
 * torchaudio's {@code melscale_fbanks} (HTK mel scale, no normalisation) for the linear bins of an
 * {@code n_fft}-point real FFT, stored sparsely: filter {@code i} is non-zero only on bins [{@link
 * #start}[i], {@link #end}[i]).
 */
final class MelFilterbank {

    final int mels;

    /** Linear bins any filter reads: 0 .. bins - 1. */
    final int bins;

    final int[] start;
    final int[] end;
    final float[][] weights;

    /**
     * Per-bin view for the transpose: triangular filters with 50 % overlap cover each bin at most
     * twice, by neighbours {@code pairFirst[k]} and {@code pairFirst[k] + 1} with weights {@code
     * pairW0[k]} and {@code pairW1[k]}, so {@code M^T y} is one pass without scatter. Null when the
     * filters do not have that shape; the general scatter path is used then.
     */
    private final int[] pairFirst;

    private final float[] pairW0;
    private final float[] pairW1;

    /**
     * Bins come in runs that share one filter pair: run i is bins [runEnd[i - 1], runEnd[i]).
     * Looping per run keeps the two filter outputs fixed in the inner loop, which the JIT
     * vectorises; a per-bin gather of {@code y[pairFirst[k]]} does not.
     */
    private final int[] runEnd;

    private MelFilterbank(int[] start, int[] end, float[][] weights) {
        this.mels = start.length;
        this.start = start;
        this.end = end;
        this.weights = weights;
        int b = 1;
        for (int e : end) {
            b = Math.max(b, e);
        }
        this.bins = b;
        int[] first = new int[bins];
        float[] w0 = new float[bins];
        float[] w1 = new float[bins];
        java.util.Arrays.fill(first, -1);
        boolean pairs = true;
        for (int i = 0; i < mels && pairs; i++) {
            for (int k = start[i]; k < end[i]; k++) {
                float w = weights[i][k - start[i]];
                if (first[k] < 0) {
                    first[k] = i;
                    w0[k] = w;
                } else if (first[k] == i - 1 && w1[k] == 0) {
                    w1[k] = w;
                } else {
                    pairs = false;
                    break;
                }
            }
        }
        for (int k = 0; k < bins && pairs; k++) {
            int previous = k > 0 ? first[k - 1] : 0;
            if (first[k] < 0) {
                first[k] = previous; // no filter: both weights stay 0, the runs stay in order
            } else if (first[k] < previous || (first[k] == mels - 1 && w1[k] != 0)) {
                pairs = false;
            }
        }
        this.pairFirst = pairs ? first : null;
        this.pairW0 = w0;
        this.pairW1 = w1;
        this.runEnd = pairs ? runEnds(first) : null;
    }

    /** runEnd[i]: one past the last bin whose pair starts at filter i (pairFirst only grows). */
    private static int[] runEnds(int[] first) {
        int[] ends = new int[first[first.length - 1] + 1];
        for (int k = 0; k < first.length; k++) {
            ends[first[k]] = k + 1;
        }
        for (int i = 1; i < ends.length; i++) {
            ends[i] = Math.max(ends[i], ends[i - 1]);
        }
        return ends;
    }

    static MelFilterbank of(SpectrogramParams p) {
        int nFreqs = p.nFft() / 2 + 1;
        int mels = p.numFrequencies();
        double melMin = MelScale.hzToMel(p.minFrequency());
        double melMax = MelScale.hzToMel(p.maxFrequency());
        double[] fPts = new double[mels + 2];
        for (int i = 0; i < fPts.length; i++) {
            double m = melMin + (melMax - melMin) * i / (mels + 1);
            fPts[i] = MelScale.melToHz(m);
        }
        // torchaudio: linspace(0, sample_rate // 2, n_freqs)
        double binHz = (double) (p.sampleRate() / 2) / (nFreqs - 1);
        int[] start = new int[mels];
        int[] end = new int[mels];
        float[][] weights = new float[mels][];
        for (int i = 0; i < mels; i++) {
            double lo = fPts[i];
            double mid = fPts[i + 1];
            double hi = fPts[i + 2];
            int k0 = Math.max(0, (int) Math.floor(lo / binHz));
            int k1 = Math.min(nFreqs - 1, (int) Math.ceil(hi / binHz));
            float[] w = new float[k1 - k0 + 1];
            int first = -1;
            int last = -1;
            for (int k = k0; k <= k1; k++) {
                double f = k * binHz;
                double down = (f - lo) / (mid - lo);
                double up = (hi - f) / (hi - mid);
                double v = Math.max(0, Math.min(down, up));
                w[k - k0] = (float) v;
                if (v > 0) {
                    if (first < 0) {
                        first = k;
                    }
                    last = k;
                }
            }
            if (first < 0) {
                // An empty filter (too many mels for the FFT size), as torchaudio allows.
                start[i] = k0;
                end[i] = k0;
                weights[i] = new float[0];
            } else {
                start[i] = first;
                end[i] = last + 1;
                weights[i] = java.util.Arrays.copyOfRange(w, first - k0, last + 1 - k0);
            }
        }
        return new MelFilterbank(start, end, weights);
    }

    /** {@code out[i] = sum_k W[i][k] mag[k]}. */
    void apply(float[] mag, float[] out) {
        if (runEnd != null) {
            applyByRuns(mag, out);
            return;
        }
        // One accumulator: measured faster here than four partial sums.
        for (int i = 0; i < mels; i++) {
            float[] w = weights[i];
            int s = start[i];
            float acc = 0;
            for (int j = 0; j < w.length; j++) {
                acc += w[j] * mag[s + j];
            }
            out[i] = acc;
        }
    }

    /**
     * {@link #apply} in one pass over the bins: run i feeds filter i (weights w0) and filter i + 1
     * (w1). Two independent sums per bin instead of one chain per filter over twice the bins halves
     * the dependent additions, which bound this loop.
     */
    private void applyByRuns(float[] mag, float[] out) {
        float carry = 0f; // run i - 1's share of filter i
        int k0 = 0;
        for (int i = 0; i < runEnd.length; i++) {
            float s0 = 0f;
            float s1 = 0f;
            int k1 = runEnd[i];
            for (int k = k0; k < k1; k++) {
                s0 += pairW0[k] * mag[k];
                s1 += pairW1[k] * mag[k];
            }
            out[i] = carry + s0;
            carry = s1;
            k0 = k1;
        }
        for (int i = runEnd.length; i < mels; i++) {
            out[i] = carry;
            carry = 0f;
        }
    }

    /** {@code out[k] = max(0, base[k] + sum_i W[i][k] y[i])} over bins 0 .. bins - 1. */
    void addTransposedClamped(double[] y, float[] base, float[] out, float[] scratch) {
        if (pairFirst == null) {
            applyTransposed(y, scratch);
            for (int k = 0; k < bins; k++) {
                out[k] = Math.max(0f, base[k] + scratch[k]);
            }
            return;
        }
        // y as floats with a trailing 0, so the last filter needs no branch.
        float[] yf = scratch;
        for (int i = 0; i < mels; i++) {
            yf[i] = (float) y[i];
        }
        yf[mels] = 0f;
        int k0 = 0;
        for (int i = 0; i < runEnd.length; i++) {
            float y0 = yf[i];
            float y1 = yf[i + 1];
            int k1 = runEnd[i];
            for (int k = k0; k < k1; k++) {
                out[k] = Math.max(0f, base[k] + pairW0[k] * y0 + pairW1[k] * y1);
            }
            k0 = k1;
        }
    }

    /** {@code out[k] = sum_i W[i][k] y[i]} over bins 0 .. bins - 1. */
    void applyTransposed(double[] y, float[] out) {
        if (pairFirst != null) {
            for (int k = 0; k < bins; k++) {
                int i = pairFirst[k];
                double y1 = i + 1 < mels ? y[i + 1] : 0;
                out[k] = (float) (pairW0[k] * y[i] + pairW1[k] * y1);
            }
            return;
        }
        java.util.Arrays.fill(out, 0, bins, 0f);
        for (int i = 0; i < mels; i++) {
            float[] w = weights[i];
            int s = start[i];
            float yi = (float) y[i];
            for (int j = 0; j < w.length; j++) {
                out[s + j] += w[j] * yi;
            }
        }
    }
}
