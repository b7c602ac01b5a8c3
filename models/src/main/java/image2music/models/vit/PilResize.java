package image2music.models.vit;

/**
 * PIL's {@code Image.resize(size, BILINEAR)} for 8-bit RGB, reproduced step by step so that
 * preprocessing matches HF's (which resizes through PIL): separable triangle filter whose support
 * widens with the scale when shrinking (antialiasing), 22-bit fixed-point weights, horizontal pass
 * first with the intermediate rounded to 8 bits, then the vertical pass.
 */
public final class PilResize {

    private static final int PRECISION_BITS = 32 - 8 - 2;

    private PilResize() {}

    /** {@code image} resized to {@code width} x {@code height}. */
    public static RgbImage bilinear(RgbImage image, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException(
                    "Target size must be positive, got " + width + "x" + height);
        }
        RgbImage out = image;
        if (width != image.width()) {
            out = horizontal(out, width);
        }
        if (height != image.height()) {
            out = vertical(out, height);
        }
        return out;
    }

    /** PIL's {@code precompute_coeffs} + {@code normalize_coeffs_8bpc} for one axis. */
    record Coefficients(int[] min, int[] count, int[][] weights) {}

    static Coefficients coefficients(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = filterScale; // the triangle filter's support is 1
        int[] min = new int[outSize];
        int[] count = new int[outSize];
        int[][] weights = new int[outSize][];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            int xmin = Math.max((int) (center - support + 0.5), 0);
            int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
            double[] k = new double[xmax];
            double sum = 0;
            for (int x = 0; x < xmax; x++) {
                k[x] = triangle((x + xmin - center + 0.5) / filterScale);
                sum += k[x];
            }
            int[] fixed = new int[xmax];
            for (int x = 0; x < xmax; x++) {
                double w = sum != 0 ? k[x] / sum : k[x];
                fixed[x] =
                        (int)
                                (w < 0
                                        ? -0.5 + w * (1 << PRECISION_BITS)
                                        : 0.5 + w * (1 << PRECISION_BITS));
            }
            min[xx] = xmin;
            count[xx] = xmax;
            weights[xx] = fixed;
        }
        return new Coefficients(min, count, weights);
    }

    private static double triangle(double x) {
        double a = Math.abs(x);
        return a < 1.0 ? 1.0 - a : 0.0;
    }

    private static RgbImage horizontal(RgbImage in, int width) {
        Coefficients k = coefficients(in.width(), width);
        int h = in.height();
        byte[] out = new byte[3 * width * h];
        for (int y = 0; y < h; y++) {
            for (int xx = 0; xx < width; xx++) {
                for (int c = 0; c < 3; c++) {
                    int ss = 1 << (PRECISION_BITS - 1);
                    for (int x = 0; x < k.count[xx]; x++) {
                        ss += in.get(k.min[xx] + x, y, c) * k.weights[xx][x];
                    }
                    out[3 * (y * width + xx) + c] = clip8(ss);
                }
            }
        }
        return new RgbImage(width, h, out);
    }

    private static RgbImage vertical(RgbImage in, int height) {
        Coefficients k = coefficients(in.height(), height);
        int w = in.width();
        byte[] out = new byte[3 * w * height];
        for (int yy = 0; yy < height; yy++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    int ss = 1 << (PRECISION_BITS - 1);
                    for (int y = 0; y < k.count[yy]; y++) {
                        ss += in.get(x, k.min[yy] + y, c) * k.weights[yy][y];
                    }
                    out[3 * (yy * w + x) + c] = clip8(ss);
                }
            }
        }
        return new RgbImage(w, height, out);
    }

    private static byte clip8(int v) {
        if (v >= (1 << PRECISION_BITS << 8)) {
            return (byte) 255;
        }
        if (v <= 0) {
            return 0;
        }
        return (byte) (v >> PRECISION_BITS);
    }
}
