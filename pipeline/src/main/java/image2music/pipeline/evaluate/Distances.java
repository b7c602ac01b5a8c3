package image2music.pipeline.evaluate;

import java.util.Arrays;

/** Euclidean distances between vectors: spread within a set and nearness to another set. */
public final class Distances {

    private Distances() {}

    /** The distance between {@code a} and {@code b}. */
    public static double euclidean(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(
                    "Vectors of " + a.length + " and " + b.length + " dimensions");
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    /** The mean distance over all pairs of {@code x} (0 for fewer than two vectors). */
    public static double meanPairwise(float[][] x) {
        double sum = 0;
        long pairs = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = i + 1; j < x.length; j++) {
                sum += euclidean(x[i], x[j]);
                pairs++;
            }
        }
        return pairs == 0 ? 0 : sum / pairs;
    }

    /** For each of {@code queries}, the distance to its nearest vector in {@code references}. */
    public static double[] nearest(float[][] queries, float[][] references) {
        if (references.length == 0) {
            throw new IllegalArgumentException("No reference vectors to compare with");
        }
        double[] out = new double[queries.length];
        for (int i = 0; i < queries.length; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (float[] r : references) {
                best = Math.min(best, euclidean(queries[i], r));
            }
            out[i] = best;
        }
        return out;
    }

    /** The median of {@code v} (NaN when empty). */
    public static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
