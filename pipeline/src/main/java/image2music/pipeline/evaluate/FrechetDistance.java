package image2music.pipeline.evaluate;

/**
 * The Fréchet distance between Gaussians fitted to two sets of embeddings, as FID and FAD compute
 * it: {@code |μa − μb|² + tr(Σa) + tr(Σb) − 2 tr((Σa^½ Σb Σa^½)^½)}, with unbiased covariances. The
 * matrix square roots come from Jacobi eigen-decompositions, exact for the symmetric positive
 * semi-definite matrices involved (tiny negative eigenvalues from rounding count as zero), so a set
 * against itself gives 0 to rounding.
 */
public final class FrechetDistance {

    private FrechetDistance() {}

    /**
     * The distance between {@code a} and {@code b} ([sample][dimension], at least two samples each,
     * one dimension throughout).
     */
    public static double between(float[][] a, float[][] b) {
        int d = dimension(a, b);
        double[] ma = mean(a, d);
        double[] mb = mean(b, d);
        double[][] ca = covariance(a, ma);
        double[][] cb = covariance(b, mb);
        double meanTerm = 0;
        for (int i = 0; i < d; i++) {
            meanTerm += (ma[i] - mb[i]) * (ma[i] - mb[i]);
        }
        double[][] rootA = sqrtPsd(ca);
        double[][] m = multiply(multiply(rootA, cb), rootA);
        double crossTrace = 0;
        for (double v : eigenvalues(m)) {
            crossTrace += Math.sqrt(Math.max(0, v));
        }
        double fd = meanTerm + trace(ca) + trace(cb) - 2 * crossTrace;
        return Math.max(0, fd);
    }

    private static int dimension(float[][] a, float[][] b) {
        if (a.length < 2 || b.length < 2) {
            throw new IllegalArgumentException(
                    "A Fréchet distance needs at least 2 samples a side, got "
                            + a.length
                            + " and "
                            + b.length);
        }
        int d = a[0].length;
        for (float[][] set : new float[][][] {a, b}) {
            for (float[] v : set) {
                if (v.length != d) {
                    throw new IllegalArgumentException(
                            "Embeddings of " + v.length + " and " + d + " dimensions mixed");
                }
            }
        }
        return d;
    }

    static double[] mean(float[][] x, int d) {
        double[] m = new double[d];
        for (float[] v : x) {
            for (int i = 0; i < d; i++) {
                m[i] += v[i];
            }
        }
        for (int i = 0; i < d; i++) {
            m[i] /= x.length;
        }
        return m;
    }

    private static double[][] covariance(float[][] x, double[] mean) {
        int d = mean.length;
        double[][] c = new double[d][d];
        double[] centred = new double[d];
        for (float[] v : x) {
            for (int i = 0; i < d; i++) {
                centred[i] = v[i] - mean[i];
            }
            for (int i = 0; i < d; i++) {
                for (int j = i; j < d; j++) {
                    c[i][j] += centred[i] * centred[j];
                }
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                c[i][j] /= x.length - 1;
                c[j][i] = c[i][j];
            }
        }
        return c;
    }

    /** V diag(√max(λ, 0)) Vᵀ of a symmetric matrix. */
    private static double[][] sqrtPsd(double[][] s) {
        int d = s.length;
        double[][] v = new double[d][d];
        double[] lambda = jacobi(copy(s), v);
        double[][] out = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double sum = 0;
                for (int k = 0; k < d; k++) {
                    sum += v[i][k] * Math.sqrt(Math.max(0, lambda[k])) * v[j][k];
                }
                out[i][j] = sum;
            }
        }
        return out;
    }

    private static double[] eigenvalues(double[][] s) {
        // Symmetrise: the product of symmetric matrices carries rounding asymmetry.
        int d = s.length;
        double[][] sym = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                sym[i][j] = (s[i][j] + s[j][i]) / 2;
            }
        }
        return jacobi(sym, new double[d][d]);
    }

    /**
     * Cyclic Jacobi rotations: diagonalises symmetric {@code a} in place; returns its eigenvalues
     * and leaves the eigenvectors in the columns of {@code v}.
     */
    static double[] jacobi(double[][] a, double[][] v) {
        int n = a.length;
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(v[i], 0);
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double total = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    total += a[i][j] * a[i][j];
                    if (i != j) {
                        off += a[i][j] * a[i][j];
                    }
                }
            }
            if (off <= 1e-30 * Math.max(total, Double.MIN_NORMAL)) {
                break;
            }
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] == 0) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t =
                            Math.signum(theta == 0 ? 1 : theta)
                                    / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k][p];
                        double vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = a[i][i];
        }
        return lambda;
    }

    private static double[][] multiply(double[][] x, double[][] y) {
        int n = x.length;
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double xik = x[i][k];
                for (int j = 0; j < n; j++) {
                    out[i][j] += xik * y[k][j];
                }
            }
        }
        return out;
    }

    private static double trace(double[][] m) {
        double t = 0;
        for (int i = 0; i < m.length; i++) {
            t += m[i][i];
        }
        return t;
    }

    private static double[][] copy(double[][] m) {
        double[][] out = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = m[i].clone();
        }
        return out;
    }
}
