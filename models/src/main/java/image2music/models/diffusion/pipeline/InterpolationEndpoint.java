package image2music.models.diffusion.pipeline;

import image2music.models.diffusion.guidance.Strength;

/**
 * One end of a prompt interpolation: what the clip at that end would be generated with alone.
 *
 * @param prompt the text of this end
 * @param seed seeds this end's initial noise (and its share of a stochastic scheduler's step noise)
 * @param guidance classifier-free guidance scale; 1 or less runs the conditional pass only
 * @param strength how far an init image is noised (img2img); unused without one
 */
public record InterpolationEndpoint(String prompt, long seed, double guidance, Strength strength) {

    public InterpolationEndpoint {
        if (prompt == null) {
            throw new IllegalArgumentException("prompt must not be null");
        }
        if (!GenerationRequest.isValidGuidance(guidance)) {
            throw new IllegalArgumentException("guidance must be >= 0, got " + guidance);
        }
        if (strength == null) {
            throw new IllegalArgumentException("strength must not be null");
        }
    }
}
