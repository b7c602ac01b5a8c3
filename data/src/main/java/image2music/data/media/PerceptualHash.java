package image2music.data.media;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Locale;

/**
 * The DCT perceptual hash (pHash, as in the {@code imagehash} Python package): the image's
 * luminance is averaged down to 32×32, transformed with a 2-D DCT-II, and each of the 64 lowest
 * frequencies (8×8, row-major, vertical frequency first) becomes one bit: 1 where the coefficient
 * is above the median of the 64. The first coefficient is the most significant bit.
 *
 * <p>Resizing, re-compression and small colour changes move few bits, so near-duplicates are images
 * whose hashes differ in few bits ({@link #distance}).
 */
public final class PerceptualHash {

    private static final int SIZE = 32;
    private static final int LOW = 8;
    private static final double[][] COS = cosTable();

    private PerceptualHash() {}

    /** The 64-bit hash of {@code image}. */
    public static long of(BufferedImage image) {
        double[][] pixels = luminance32(image);
        double[][] dct = dct2(pixels);
        double[] low = new double[LOW * LOW];
        for (int v = 0; v < LOW; v++) {
            System.arraycopy(dct[v], 0, low, v * LOW, LOW);
        }
        double[] sorted = low.clone();
        Arrays.sort(sorted);
        double median = (sorted[31] + sorted[32]) / 2;
        long hash = 0;
        for (double c : low) {
            hash = (hash << 1) | (c > median ? 1 : 0);
        }
        return hash;
    }

    /** The number of bits in which two hashes differ (0–64). */
    public static int distance(long a, long b) {
        return Long.bitCount(a ^ b);
    }

    /** 16 lower-case hex digits. */
    public static String toHex(long hash) {
        return String.format(Locale.ROOT, "%016x", hash);
    }

    /** Parses 16 hex digits as written by {@link #toHex}. */
    public static long parseHex(String hex) {
        if (hex == null || hex.length() != 16) {
            throw new IllegalArgumentException(
                    "perceptual hash '" + hex + "' is not 16 hex digits");
        }
        return Long.parseUnsignedLong(hex, 16);
    }

    /** Area-averaged luminance (ITU-R 601 weights, as PIL's "L") on a 32×32 grid. */
    private static double[][] luminance32(BufferedImage image) {
        BufferedImage src = image;
        if (src.getWidth() < SIZE || src.getHeight() < SIZE) {
            src = Resize.to(src, Math.max(SIZE, src.getWidth()), Math.max(SIZE, src.getHeight()));
        }
        int w = src.getWidth();
        int h = src.getHeight();
        double[][] sum = new double[SIZE][SIZE];
        int[][] count = new int[SIZE][SIZE];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            src.getRGB(0, y, w, 1, row, 0, w);
            int cy = (int) ((long) y * SIZE / h);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                double lum =
                        0.299 * ((p >> 16) & 0xff) + 0.587 * ((p >> 8) & 0xff) + 0.114 * (p & 0xff);
                int cx = (int) ((long) x * SIZE / w);
                sum[cy][cx] += lum;
                count[cy][cx]++;
            }
        }
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                sum[y][x] /= count[y][x];
            }
        }
        return sum;
    }

    /** Unnormalised 2-D DCT-II; only the 8 lowest frequencies on each axis are needed. */
    private static double[][] dct2(double[][] p) {
        double[][] rows = new double[SIZE][LOW];
        for (int y = 0; y < SIZE; y++) {
            for (int u = 0; u < LOW; u++) {
                double s = 0;
                for (int x = 0; x < SIZE; x++) {
                    s += p[y][x] * COS[u][x];
                }
                rows[y][u] = s;
            }
        }
        double[][] out = new double[LOW][LOW];
        for (int v = 0; v < LOW; v++) {
            for (int u = 0; u < LOW; u++) {
                double s = 0;
                for (int y = 0; y < SIZE; y++) {
                    s += rows[y][u] * COS[v][y];
                }
                out[v][u] = s;
            }
        }
        return out;
    }

    private static double[][] cosTable() {
        double[][] c = new double[LOW][SIZE];
        for (int u = 0; u < LOW; u++) {
            for (int x = 0; x < SIZE; x++) {
                c[u][x] = Math.cos(Math.PI * u * (2 * x + 1) / (2.0 * SIZE));
            }
        }
        return c;
    }
}
