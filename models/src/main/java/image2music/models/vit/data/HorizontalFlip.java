package image2music.models.vit.data;

import image2music.models.vit.RgbImage;
import java.util.SplittableRandom;

/** Mirrors the image left-right with probability {@code probability}. */
public record HorizontalFlip(double probability) implements ImageTransform {

    public HorizontalFlip {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException(
                    "Flip probability must be in [0, 1]: " + probability);
        }
    }

    @Override
    public RgbImage apply(RgbImage image, SplittableRandom random) {
        // Always draw, so that later steps see the same random stream whatever the outcome.
        if (random.nextDouble() >= probability) {
            return image;
        }
        int w = image.width();
        int h = image.height();
        byte[] src = image.pixels();
        byte[] dst = new byte[src.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int from = (y * w + (w - 1 - x)) * 3;
                int to = (y * w + x) * 3;
                dst[to] = src[from];
                dst[to + 1] = src[from + 1];
                dst[to + 2] = src[from + 2];
            }
        }
        return new RgbImage(w, h, dst);
    }
}
