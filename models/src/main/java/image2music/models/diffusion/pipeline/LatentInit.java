package image2music.models.diffusion.pipeline;

import ai.djl.ndarray.NDArray;
import image2music.models.diffusion.guidance.Strength;

/**
 * Where a denoising run starts when it does not start from pure noise: known latents (an encoded
 * image, or the tail of the previous clip), noised to {@code strength} (img2img), and optionally a
 * mask of the cells to regenerate; the other cells are pinned to the known latents, re-noised to
 * each step's noise level (inpainting and outpainting with an ordinary, 4-channel UNet).
 *
 * @param latents the known latents, {@code [1, C, h, w]} (already times the VAE scaling factor)
 * @param strength how far the known latents are noised; 1 starts from pure noise
 * @param mask null to regenerate everything, else {@code [1, 1, h, w]}: 1 regenerate, 0 keep
 */
public record LatentInit(NDArray latents, Strength strength, NDArray mask) {

    public LatentInit {
        if (latents == null || strength == null) {
            throw new IllegalArgumentException("latents and strength are required");
        }
        if (mask != null) {
            var s = latents.getShape();
            var m = mask.getShape();
            if (m.dimension() != 4
                    || m.get(0) != 1
                    || m.get(1) != 1
                    || m.get(2) != s.get(2)
                    || m.get(3) != s.get(3)) {
                throw new IllegalArgumentException(
                        "latent mask " + m + " does not fit latents " + s);
            }
        }
    }
}
