package image2music.models.diffusion.pipeline;

import java.awt.image.BufferedImage;

/**
 * One generated image.
 *
 * @param image RGB, {@code width × height} of the request
 * @param seed the seed that reproduces it alone (the request's seed plus its batch index)
 * @param seconds wall-clock time it took (text encoding, denoising and decoding)
 */
public record GeneratedImage(BufferedImage image, long seed, double seconds) {}
