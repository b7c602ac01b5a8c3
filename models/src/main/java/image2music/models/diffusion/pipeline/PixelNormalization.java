package image2music.models.diffusion.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import image2music.models.nn.Tensors;
import java.util.Arrays;

/**
 * How a pixel-space pipeline maps an image in [−1, 1] to the space its UNet denoises: {@code z = (x
 * − shift[row]) · scale}, and back. It plays the part of a latent model's VAE {@code shift_factor}
 * and {@code scaling_factor}: spectrograms are mostly light with a mean spectrum that falls from
 * the low to the high rows, and their pixels spread about 0.3 around it, so unscaled the forward
 * process drowns them about ten times sooner than the unit-variance data noise schedules are made
 * for, and the model spends most timesteps seeing nothing but noise. Fitted to the training data (a
 * mean per row, one scale) when a preset is trained from scratch.
 *
 * @param shift the mean pixel of each image row (top first), or empty for none
 * @param scale what the centred pixels are multiplied by
 */
public record PixelNormalization(float[] shift, float scale) {

    /** No change: the UNet denoises pixels in [−1, 1]. */
    public static final PixelNormalization IDENTITY = new PixelNormalization(new float[0], 1f);

    /** The most rows a normalisation read from a file may have. */
    static final int MAX_ROWS = 4096;

    public PixelNormalization {
        shift = shift.clone();
        if (!(scale > 0) || !Float.isFinite(scale)) {
            throw new IllegalArgumentException("pixel scale must be positive and finite: " + scale);
        }
        if (shift.length > MAX_ROWS) {
            throw new IllegalArgumentException(
                    "pixel shift has " + shift.length + " rows, more than " + MAX_ROWS);
        }
        for (float s : shift) {
            if (!(Math.abs(s) <= 1)) {
                throw new IllegalArgumentException("pixel shift outside [−1, 1]: " + s);
            }
        }
    }

    /**
     * Fits a normalisation to images added one at a time: each row's mean over all of them, and the
     * inverse of the standard deviation around those means.
     */
    public static final class Fit {
        private final int channels;
        private final int height;
        private final double[] sum;
        private final double[] squares;
        private long perRow;

        /** For images of {@code channels × height} rows. */
        public Fit(int channels, int height) {
            this.channels = channels;
            this.height = height;
            this.sum = new double[height];
            this.squares = new double[height];
        }

        /** Adds an image, {@code [channels][height][width]} flattened, pixels in [−1, 1]. */
        public void add(float[] image) {
            int width = image.length / (channels * height);
            if (width * channels * height != image.length) {
                throw new IllegalArgumentException(
                        image.length + " values are not " + channels + " × " + height + " rows");
            }
            for (int i = 0; i < image.length; i++) {
                int y = (i / width) % height;
                sum[y] += image[i];
                squares[y] += (double) image[i] * image[i];
            }
            perRow += (long) channels * width;
        }

        /** The normalisation of the images added. */
        public PixelNormalization result() {
            if (perRow == 0) {
                throw new IllegalStateException("no images to fit a pixel normalisation to");
            }
            float[] shift = new float[height];
            double variance = 0;
            for (int y = 0; y < height; y++) {
                double mean = sum[y] / perRow;
                shift[y] = (float) mean;
                variance += Math.max(0, squares[y] / perRow - mean * mean);
            }
            double sd = Math.sqrt(variance / height);
            // A constant dataset (sd 0) keeps its scale: nothing to normalise.
            return new PixelNormalization(shift, sd > 1e-6 ? (float) (1 / sd) : 1f);
        }
    }

    /** Whether this changes nothing. */
    public boolean isIdentity() {
        return shift.length == 0 && scale == 1f;
    }

    /**
     * The largest magnitude a normalised image in [−1, 1] can reach: what a scheduler clipping its
     * predicted sample ({@code clip_sample_range}) should allow.
     */
    public double range() {
        double most = 0;
        for (float s : shift) {
            most = Math.max(most, Math.abs(s));
        }
        return (1 + most) * scale;
    }

    /** Pixels {@code [B, C, H, W]} in [−1, 1] to the UNet's space. */
    public NDArray normalize(NDArray pixels) {
        if (isIdentity()) {
            return pixels;
        }
        return Tensors.mul(pixels.sub(shiftOf(pixels)), scale);
    }

    /** The UNet's space back to pixels in [−1, 1] (unclipped). */
    public NDArray denormalize(NDArray z) {
        if (isIdentity()) {
            return z;
        }
        return Tensors.div(z, scale).add(shiftOf(z));
    }

    private NDArray shiftOf(NDArray like) {
        NDManager m = like.getManager();
        if (shift.length == 0) {
            return Tensors.of(m, new float[] {0f}, new Shape(1, 1, 1, 1));
        }
        long rows = like.getShape().get(2);
        if (rows != shift.length) {
            throw new IllegalArgumentException(
                    "the model was trained on spectrograms of "
                            + shift.length
                            + " rows, this one has "
                            + rows);
        }
        return Tensors.of(m, shift, new Shape(1, 1, shift.length, 1));
    }

    /** The model_index.json entries of this normalisation (none for the identity). */
    void writeTo(JsonObject index, String shiftKey, String scaleKey) {
        if (isIdentity()) {
            return;
        }
        JsonArray a = new JsonArray();
        for (float s : shift) {
            a.add(s);
        }
        index.add(shiftKey, a);
        index.addProperty(scaleKey, scale);
    }

    /**
     * The normalisation in {@code index}'s entries, the identity when absent.
     *
     * @throws IllegalArgumentException when they are malformed or out of bounds
     */
    static PixelNormalization readFrom(JsonObject index, String shiftKey, String scaleKey) {
        JsonElement s = index.get(shiftKey);
        JsonElement k = index.get(scaleKey);
        if (s == null && k == null) {
            return IDENTITY;
        }
        if (s == null || !s.isJsonArray() || k == null || !k.isJsonPrimitive()) {
            throw new IllegalArgumentException(
                    shiftKey + " must be an array of numbers and " + scaleKey + " a number");
        }
        JsonArray a = s.getAsJsonArray();
        if (a.size() > MAX_ROWS) {
            throw new IllegalArgumentException(
                    shiftKey + " has " + a.size() + " rows, more than " + MAX_ROWS);
        }
        float[] shift = new float[a.size()];
        for (int i = 0; i < shift.length; i++) {
            if (!a.get(i).isJsonPrimitive() || !a.get(i).getAsJsonPrimitive().isNumber()) {
                throw new IllegalArgumentException(shiftKey + "[" + i + "] is not a number");
            }
            shift[i] = a.get(i).getAsFloat();
        }
        if (!k.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException(scaleKey + " is not a number");
        }
        return new PixelNormalization(shift, k.getAsFloat());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PixelNormalization p
                && Arrays.equals(shift, p.shift)
                && Float.compare(scale, p.scale) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shift) + Float.hashCode(scale);
    }

    @Override
    public String toString() {
        return "PixelNormalization[rows=" + shift.length + ", scale=" + scale + "]";
    }
}
