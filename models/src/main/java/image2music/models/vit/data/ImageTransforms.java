package image2music.models.vit.data;

import image2music.models.vit.ImageProcessorConfig;
import image2music.models.vit.RgbImage;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A composable image pipeline: geometric {@code steps} in order, then {@code normalize} to model
 * input. The steps must end at one fixed size for images to batch.
 */
public record ImageTransforms(List<ImageTransform> steps, Normalize normalize) {

    public ImageTransforms {
        steps = List.copyOf(steps);
    }

    /**
     * Training augmentation for a model with {@code preprocessing}: a random resized crop of 60 to
     * 100 % of the area and a horizontal flip half the time.
     */
    public static ImageTransforms training(ImageProcessorConfig preprocessing) {
        return new ImageTransforms(
                List.of(
                        RandomResizedCrop.of(preprocessing.height(), 0.6, 1.0),
                        new HorizontalFlip(0.5)),
                Normalize.of(preprocessing));
    }

    /** Evaluation: exactly what the tagger does at inference (PIL bilinear resize, normalise). */
    public static ImageTransforms evaluation(ImageProcessorConfig preprocessing) {
        return new ImageTransforms(
                List.of(new Resize(preprocessing.width(), preprocessing.height())),
                Normalize.of(preprocessing));
    }

    /** This pipeline with {@code step} inserted before the normalisation. */
    public ImageTransforms then(ImageTransform step) {
        List<ImageTransform> more = new java.util.ArrayList<>(steps);
        more.add(step);
        return new ImageTransforms(more, normalize);
    }

    /** Runs the pipeline on {@code image}, drawing randomness from {@code random}. */
    public float[] apply(RgbImage image, SplittableRandom random) {
        RgbImage img = image;
        for (ImageTransform t : steps) {
            img = t.apply(img, random);
        }
        return normalize.apply(img);
    }
}
