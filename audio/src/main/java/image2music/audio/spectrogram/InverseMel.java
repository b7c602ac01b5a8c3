package image2music.audio.spectrogram;

/**
 * Linear magnitudes from mel magnitudes, in closed form.
 *
 * <p>The mel matrix M (mels x bins) has far more columns than rows, so {@code M x = s} has many
 * solutions; the minimum-norm one is {@code x = M^T (M M^T)^-1 s}. Neighbouring triangular filters
 * are the only ones that overlap, so {@code M M^T} is banded and one banded Cholesky factorisation
 * (made once) solves it in O(mels) per frame. Magnitudes cannot be negative: a few alternating
 * projections between {@code {x : M x = s}} and {@code x >= 0} follow the clamp (a cheap
 * non-negative refinement), which is what Riffusion's SGD fit approximates in seconds.
 */
final class InverseMel {

    private final MelFilterbank fb;
    private final int mels;
    private final int band;

    /** Banded Cholesky factor: chol[i][d] = L(i, i - d). */
    private final double[][] chol;

    /** The factor flattened when it is bidiagonal (the usual case): 1 / L(i, i) and L(i, i - 1). */
    private final double[] tridiagInvDiag;

    private final double[] tridiagSub;

    InverseMel(MelFilterbank fb) {
        this.fb = fb;
        this.mels = fb.mels;
        int bw = 0;
        for (int i = 0; i < mels; i++) {
            for (int j = i + 1; j < mels && fb.start[j] < fb.end[i]; j++) {
                bw = Math.max(bw, j - i);
            }
        }
        this.band = bw;
        double[][] gram = new double[mels][band + 1];
        double trace = 0;
        for (int i = 0; i < mels; i++) {
            for (int d = 0; d <= band && i - d >= 0; d++) {
                gram[i][d] = dot(i, i - d);
            }
            trace += gram[i][0];
        }
        // A tiny ridge keeps empty or nearly parallel filters from breaking the factorisation.
        double ridge = 1e-9 * trace / mels + 1e-30;
        for (int i = 0; i < mels; i++) {
            gram[i][0] += ridge;
        }
        this.chol = cholesky(gram);
        if (band == 1) {
            tridiagInvDiag = new double[mels];
            tridiagSub = new double[mels];
            for (int i = 0; i < mels; i++) {
                tridiagInvDiag[i] = 1 / chol[i][0];
                tridiagSub[i] = chol[i][1];
            }
        } else {
            tridiagInvDiag = null;
            tridiagSub = null;
        }
    }

    private double dot(int i, int j) {
        int lo = Math.max(fb.start[i], fb.start[j]);
        int hi = Math.min(fb.end[i], fb.end[j]);
        double s = 0;
        for (int k = lo; k < hi; k++) {
            s += (double) fb.weights[i][k - fb.start[i]] * fb.weights[j][k - fb.start[j]];
        }
        return s;
    }

    private double[][] cholesky(double[][] g) {
        double[][] l = new double[mels][band + 1];
        for (int i = 0; i < mels; i++) {
            for (int d = band; d >= 0; d--) {
                int j = i - d;
                if (j < 0) {
                    continue;
                }
                double s = g[i][d];
                // sum over k < j within both bands of L(i,k) L(j,k)
                for (int k = Math.max(0, i - band); k < j; k++) {
                    s -= l[i][i - k] * l[j][j - k];
                }
                if (d == 0) {
                    l[i][0] = Math.sqrt(Math.max(s, 1e-300));
                } else {
                    l[i][d] = s / l[j][0];
                }
            }
        }
        return l;
    }

    /** Solves {@code (M M^T) y = r} in place. */
    void solve(double[] r) {
        if (tridiagInvDiag != null) {
            double[] inv = tridiagInvDiag;
            double[] sub = tridiagSub;
            r[0] *= inv[0];
            for (int i = 1; i < mels; i++) {
                r[i] = (r[i] - sub[i] * r[i - 1]) * inv[i];
            }
            r[mels - 1] *= inv[mels - 1];
            for (int i = mels - 2; i >= 0; i--) {
                r[i] = (r[i] - sub[i + 1] * r[i + 1]) * inv[i];
            }
            return;
        }
        for (int i = 0; i < mels; i++) {
            double s = r[i];
            for (int d = 1; d <= band && i - d >= 0; d++) {
                s -= chol[i][d] * r[i - d];
            }
            r[i] = s / chol[i][0];
        }
        for (int i = mels - 1; i >= 0; i--) {
            double s = r[i];
            for (int d = 1; d <= band && i + d < mels; d++) {
                s -= chol[i + d][d] * r[i + d];
            }
            r[i] = s / chol[i][0];
        }
    }

    /**
     * Non-negative linear magnitudes {@code out[0 .. bins)} whose mel is close to {@code mel}: the
     * clamped minimum-norm solution refined by {@code refineIters} projection rounds.
     */
    void invert(float[] mel, int refineIters, float[] out, Scratch s) {
        for (int i = 0; i < mels; i++) {
            s.work[i] = mel[i];
        }
        solve(s.work);
        fb.applyTransposed(s.work, out);
        clamp(out);
        for (int it = 0; it < refineIters; it++) {
            project(out, mel, out, s);
        }
    }

    /** Per-thread work arrays for {@link #invert} and {@link #project}. */
    final class Scratch {
        final double[] work = new double[mels];
        final float[] melWork = new float[mels];
        final float[] delta = new float[Math.max(fb.bins, mels + 1)];
    }

    Scratch newScratch() {
        return new Scratch();
    }

    /**
     * The nearest magnitudes to {@code mag} (least squares) whose mel equals {@code mel}, then
     * clamped at 0: {@code out = max(0, mag + M^T (M M^T)^-1 (mel - M mag))}. {@code out} may be
     * {@code mag}.
     */
    void project(float[] mag, float[] mel, float[] out, Scratch s) {
        fb.apply(mag, s.melWork);
        for (int i = 0; i < mels; i++) {
            s.work[i] = (double) mel[i] - s.melWork[i];
        }
        solve(s.work);
        fb.addTransposedClamped(s.work, mag, out, s.delta);
    }

    private void clamp(float[] x) {
        for (int k = 0; k < fb.bins; k++) {
            if (x[k] < 0) {
                x[k] = 0;
            }
        }
    }
}
