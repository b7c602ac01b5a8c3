package image2music.models.diffusion.pipeline;

/**
 * What to interpolate: two endpoints and the settings every clip between them shares.
 *
 * @param from the end at alpha 0
 * @param to the end at alpha 1
 * @param negativePrompt what guidance steers away from at both ends; null or empty: the empty
 *     prompt
 * @param steps denoising steps of a run from pure noise (img2img runs the strength's share)
 * @param width image width in pixels (a multiple of 8)
 * @param height image height in pixels (a multiple of 8)
 * @param scheduler a scheduler name overriding the pipeline's (null keeps it)
 */
public record InterpolationRequest(
        InterpolationEndpoint from,
        InterpolationEndpoint to,
        String negativePrompt,
        int steps,
        int width,
        int height,
        String scheduler) {

    public InterpolationRequest {
        if (from == null || to == null) {
            throw new IllegalArgumentException("both endpoints are required");
        }
        negativePrompt = negativePrompt == null ? "" : negativePrompt;
        // GenerationRequest holds the checks on steps and size.
        endpointRequest(from, negativePrompt, steps, width, height, scheduler);
    }

    /** What generating end {@code e} alone would be: {@code generate}'s or img2img's request. */
    public GenerationRequest endpointRequest(InterpolationEndpoint e) {
        return endpointRequest(e, negativePrompt, steps, width, height, scheduler);
    }

    private static GenerationRequest endpointRequest(
            InterpolationEndpoint e,
            String negative,
            int steps,
            int width,
            int height,
            String scheduler) {
        return new GenerationRequest(
                e.prompt(), negative, e.guidance(), steps, e.seed(), width, height, scheduler, 1);
    }

    /**
     * The alphas of {@code between} clips between the ends plus the ends: {@code 0, 1 / (n + 1), …,
     * 1}, {@code between + 2} of them.
     */
    public static double[] alphas(int between) {
        if (between < 0) {
            throw new IllegalArgumentException("clips between must be >= 0, got " + between);
        }
        double[] a = new double[between + 2];
        for (int i = 0; i < a.length; i++) {
            a[i] = (double) i / (between + 1);
        }
        return a;
    }
}
