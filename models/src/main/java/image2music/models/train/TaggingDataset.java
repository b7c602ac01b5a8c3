package image2music.models.train;

import java.io.IOException;
import java.util.List;

/**
 * What {@link image2music.models.vit.TaggerTrainer} reads: labelled images as model-ready pixels.
 * Augmentation is drawn from (run seed, epoch, index) so that a resumed run sees the same images.
 */
public interface TaggingDataset {

    /** One image: CHW pixels (already normalised) and its multi-hot target over {@link #labels}. */
    record Example(float[] pixels, float[] target) {}

    /** The label names; a target's index i means {@code labels().get(i)}. */
    List<String> labels();

    /** Number of images (not {@code size()}: DJL datasets have a {@code long size()}). */
    int imageCount();

    /** Image {@code index} as augmented for {@code epoch}. */
    Example example(int index, long epoch) throws IOException;

    /** A hash identifying the images and their labels (for the provenance sidecar). */
    String fingerprint();
}
