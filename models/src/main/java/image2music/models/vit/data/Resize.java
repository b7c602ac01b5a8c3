package image2music.models.vit.data;

import image2music.models.vit.PilResize;
import image2music.models.vit.RgbImage;
import java.util.SplittableRandom;

/** Resizes to a fixed size with PIL's bilinear filter, as the tagger's preprocessing does. */
public record Resize(int width, int height) implements ImageTransform {

    public Resize {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("Resize to " + width + "x" + height);
        }
    }

    @Override
    public RgbImage apply(RgbImage image, SplittableRandom random) {
        if (image.width() == width && image.height() == height) {
            return image;
        }
        return PilResize.bilinear(image, width, height);
    }
}
