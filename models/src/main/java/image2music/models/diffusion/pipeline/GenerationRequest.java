package image2music.models.diffusion.pipeline;

/**
 * What to generate: one or more images for a prompt.
 *
 * @param prompt the text the images should match
 * @param negativePrompt what classifier-free guidance steers away from; null or empty steers away
 *     from the empty prompt, as diffusers does without one
 * @param guidance classifier-free guidance scale; 1 or less runs the conditional pass only
 * @param steps denoising steps
 * @param seed seed of image 0; image {@code i} of a batch uses {@code seed + i}, so any one of them
 *     can be regenerated alone
 * @param width image width in pixels (a multiple of 8)
 * @param height image height in pixels (a multiple of 8; 512 for Riffusion spectrograms)
 * @param scheduler a scheduler name overriding the pipeline's (null keeps it)
 * @param batch number of images
 */
public record GenerationRequest(
        String prompt,
        String negativePrompt,
        double guidance,
        int steps,
        long seed,
        int width,
        int height,
        String scheduler,
        int batch) {

    public static final double DEFAULT_GUIDANCE = 7.0;
    public static final int DEFAULT_STEPS = 50;
    public static final int DEFAULT_SIZE = 512;

    /**
     * Whether {@code guidance} is a scale a generation takes: finite and at least 0 (0 to 1 run the
     * conditional pass only). Every request that carries a guidance scale checks it here.
     */
    public static boolean isValidGuidance(double guidance) {
        return guidance >= 0 && !Double.isInfinite(guidance);
    }

    public GenerationRequest {
        if (prompt == null) {
            throw new IllegalArgumentException("prompt must not be null");
        }
        negativePrompt = negativePrompt == null ? "" : negativePrompt;
        if (!isValidGuidance(guidance)) {
            throw new IllegalArgumentException("guidance must be >= 0, got " + guidance);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        if (width < 8 || width % 8 != 0) {
            throw new IllegalArgumentException(
                    "width must be a positive multiple of 8, got " + width);
        }
        if (height < 8 || height % 8 != 0) {
            throw new IllegalArgumentException(
                    "height must be a positive multiple of 8, got " + height);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
    }

    /** {@code prompt} with the defaults: no negative prompt, guidance 7, 50 steps, 512×512. */
    public static GenerationRequest of(String prompt, long seed) {
        return new GenerationRequest(
                prompt,
                "",
                DEFAULT_GUIDANCE,
                DEFAULT_STEPS,
                seed,
                DEFAULT_SIZE,
                DEFAULT_SIZE,
                null,
                1);
    }

    /** Whether the unconditional (negative-prompt) pass runs. */
    public boolean usesGuidance() {
        return guidance > 1.0;
    }

    /** This request with {@code steps} steps. */
    public GenerationRequest withSteps(int n) {
        return new GenerationRequest(
                prompt, negativePrompt, guidance, n, seed, width, height, scheduler, batch);
    }

    /** This request with a {@code width} × {@code height} image. */
    public GenerationRequest withSize(int w, int h) {
        return new GenerationRequest(
                prompt, negativePrompt, guidance, steps, seed, w, h, scheduler, batch);
    }

    /** This request with seed {@code s} (for image 0 of the batch). */
    public GenerationRequest withSeed(long s) {
        return new GenerationRequest(
                prompt, negativePrompt, guidance, steps, s, width, height, scheduler, batch);
    }

    /** This request with {@code n} images. */
    public GenerationRequest withBatch(int n) {
        return new GenerationRequest(
                prompt, negativePrompt, guidance, steps, seed, width, height, scheduler, n);
    }

    /** This request with {@code text} as the prompt. */
    public GenerationRequest withPrompt(String text) {
        return new GenerationRequest(
                text, negativePrompt, guidance, steps, seed, width, height, scheduler, batch);
    }
}
