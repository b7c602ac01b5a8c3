package image2music.models.diffusion.pipeline;

import image2music.models.diffusion.guidance.Strength;
import java.awt.image.BufferedImage;

/**
 * One clip of a prompt interpolation and the values derived for its alpha.
 *
 * @param image RGB, the request's width × height
 * @param alpha 0 at the {@code from} end, 1 at the {@code to} end
 * @param guidance the guidance scale it ran with, lerped between the ends
 * @param strength the img2img strength it ran with, lerped between the ends; null without an init
 *     image
 * @param seconds wall-clock time it took (text encoding, denoising and decoding)
 */
public record InterpolatedImage(
        BufferedImage image, double alpha, double guidance, Strength strength, double seconds) {}
