package image2music.models.vit.data;

import image2music.models.vit.ImageProcessorConfig;
import image2music.models.vit.RgbImage;

/**
 * The last step of every pipeline: 8-bit RGB to CHW floats, rescaled and normalised per channel, as
 * ViTImageProcessor does after resizing.
 */
public record Normalize(double rescale, float[] mean, float[] std) {

    public Normalize {
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("Normalize needs 3 means and 3 stds");
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** The rescaling and normalisation of a model's preprocessing (identity where it has none). */
    public static Normalize of(ImageProcessorConfig config) {
        return new Normalize(
                config.doRescale() ? config.rescaleFactor() : 1,
                config.doNormalize() ? config.mean() : new float[] {0, 0, 0},
                config.doNormalize() ? config.std() : new float[] {1, 1, 1});
    }

    /** CHW floats of {@code image}. */
    public float[] apply(RgbImage image) {
        int w = image.width();
        int h = image.height();
        float[] out = new float[3 * w * h];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = (float) (image.get(x, y, c) * rescale);
                    out[(c * h + y) * w + x] = (v - mean[c]) / std[c];
                }
            }
        }
        return out;
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }
}
