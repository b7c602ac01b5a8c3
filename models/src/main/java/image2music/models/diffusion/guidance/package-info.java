/**
 * Pipeline-independent pieces of guided generation: interpolating prompts and seeds ({@link
 * image2music.models.diffusion.guidance.Interpolation}), inpainting and outpainting masks with the
 * per-step latent blend ({@link image2music.models.diffusion.guidance.InpaintMask}), and the
 * img2img timestep selection from a strength ({@link
 * image2music.models.diffusion.guidance.Strength}).
 */
package image2music.models.diffusion.guidance;
