package image2music.models.diffusion.pipeline;

/** Told after each denoising step of a generation (for a progress bar or a web client). */
@FunctionalInterface
public interface GenerationProgress {

    /** Reports nothing. */
    GenerationProgress NONE = (image, step, steps) -> {};

    /**
     * Step {@code step} (1-based) of {@code steps} of image {@code image} (0-based) is done.
     *
     * @param image index of the image in the batch
     */
    void stepDone(int image, int step, int steps);
}
