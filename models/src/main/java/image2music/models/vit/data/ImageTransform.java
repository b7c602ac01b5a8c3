package image2music.models.vit.data;

import image2music.models.vit.RgbImage;
import java.util.SplittableRandom;

/**
 * One step of an image pipeline; random steps draw only from {@code random}, which the dataset
 * seeds per (run seed, epoch, index) so that the same image gets the same augmentation again.
 */
@FunctionalInterface
public interface ImageTransform {

    /** The transformed image ({@code image} itself when nothing changes). */
    RgbImage apply(RgbImage image, SplittableRandom random);
}
