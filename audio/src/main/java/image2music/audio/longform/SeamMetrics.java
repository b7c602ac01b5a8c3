package image2music.audio.longform;

import image2music.audio.spectrogram.Spectrogram;
import java.util.Arrays;

/**
 * Measures of a long piece's joins: spectral flux at the join frames against the piece's own
 * frame-to-frame flux, and whether the piece repeats itself at the clip period.
 *
 * <p>Both work on the compressed magnitude {@code (S / max S)^0.25}, the image domain: scale-free
 * (a piece and a louder copy score the same), bounded in [0, 1], and, unlike a logarithm, quiet for
 * near-silent bins instead of amplifying their noise.
 */
public final class SeamMetrics {

    /** The image's compression exponent (Riffusion's {@code POWER_FOR_IMAGE}). */
    static final double COMPRESSION = 0.25;

    /** The percentile of a piece's flux taken as its typical frame-to-frame change. */
    public static final double TYPICAL_PERCENTILE = 95;

    private SeamMetrics() {}

    /**
     * Spectral flux per frame: {@code flux[t]} is the L2 norm, over channels and mel bins, of the
     * change of the compressed magnitude from frame {@code t - 1} to {@code t}; {@code flux[0] =
     * 0}. Both signs count (not only the rises, as onset detectors use): a seam where the next clip
     * is quieter is as audible as one where it is louder.
     */
    public static double[] flux(Spectrogram s) {
        float[][][] c = compressed(s);
        int frames = s.frames();
        double[] flux = new double[frames];
        for (float[][] channel : c) {
            for (float[] row : channel) {
                for (int t = 1; t < frames; t++) {
                    double d = row[t] - row[t - 1];
                    flux[t] += d * d;
                }
            }
        }
        for (int t = 0; t < frames; t++) {
            flux[t] = Math.sqrt(flux[t]);
        }
        return flux;
    }

    /**
     * The flux at each join against the piece's typical flux.
     *
     * @param joins the frames where one clip hands over to the next (for a cross-fade, its middle)
     * @param radius frames either side of a join that count as the join (the largest flux among
     *     them is the join's)
     */
    public static SeamReport seams(Spectrogram s, int[] joins, int radius) {
        if (radius < 0) {
            throw new IllegalArgumentException("radius must be >= 0, got " + radius);
        }
        double[] flux = flux(s);
        double[] atJoins = new double[joins.length];
        for (int j = 0; j < joins.length; j++) {
            int join = joins[j];
            if (join < 1 || join >= flux.length) {
                throw new IllegalArgumentException(
                        "join frame " + join + " outside 1.." + (flux.length - 1));
            }
            int from = Math.max(1, join - radius);
            int to = Math.min(flux.length - 1, join + radius);
            double max = 0;
            for (int t = from; t <= to; t++) {
                max = Math.max(max, flux[t]);
            }
            atJoins[j] = max;
        }
        double[] changes = Arrays.copyOfRange(flux, 1, flux.length);
        return new SeamReport(
                atJoins, percentile(changes, 50), percentile(changes, TYPICAL_PERCENTILE));
    }

    /**
     * Normalised autocorrelation of the compressed spectrogram at {@code lag} frames: the cosine
     * between the piece and itself shifted by {@code lag}, after removing each mel bin's mean over
     * time. 1 for a loop of period {@code lag}; near 0 for unrelated material. Removing the mean
     * matters: otherwise the long-term average spectrum, which any two stretches of one piece
     * share, dominates and every piece scores near 1.
     */
    public static double autocorrelation(Spectrogram s, int lag) {
        int frames = s.frames();
        if (lag < 1 || lag >= frames) {
            throw new IllegalArgumentException(
                    "lag " + lag + " must be in 1.." + (frames - 1) + " for " + frames + " frames");
        }
        float[][][] c = compressed(s);
        double dot = 0;
        double headEnergy = 0;
        double tailEnergy = 0;
        for (float[][] channel : c) {
            for (float[] row : channel) {
                double mean = 0;
                for (float v : row) {
                    mean += v;
                }
                mean /= frames;
                for (int t = 0; t + lag < frames; t++) {
                    double a = row[t] - mean;
                    double b = row[t + lag] - mean;
                    dot += a * b;
                    headEnergy += a * a;
                    tailEnergy += b * b;
                }
            }
        }
        double norm = Math.sqrt(headEnergy * tailEnergy);
        return norm == 0 ? 0 : dot / norm;
    }

    /** The {@code p}-th percentile (0..100) of {@code values}, linearly interpolated (numpy's). */
    public static double percentile(double[] values, double p) {
        if (values.length == 0) {
            throw new IllegalArgumentException("percentile of no values");
        }
        if (!(p >= 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in [0, 100], got " + p);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double pos = p / 100 * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    private static float[][][] compressed(Spectrogram s) {
        float max = s.max();
        float[][][] data = s.data();
        float[][][] out = new float[data.length][][];
        for (int c = 0; c < data.length; c++) {
            out[c] = new float[data[c].length][];
            for (int m = 0; m < data[c].length; m++) {
                float[] row = data[c][m];
                float[] o = new float[row.length];
                if (max > 0) {
                    for (int t = 0; t < row.length; t++) {
                        o[t] = (float) Math.pow(Math.max(0f, row[t]) / max, COMPRESSION);
                    }
                }
                out[c][m] = o;
            }
        }
        return out;
    }
}
