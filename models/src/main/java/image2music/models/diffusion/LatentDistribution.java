package image2music.models.diffusion;

import ai.djl.ndarray.NDArray;

/**
 * diffusers' {@code DiagonalGaussianDistribution} over latents: the encoder's moments split into
 * {@code mean} and {@code logvar} (clamped to [−30, 20]), {@code std} = exp(logvar / 2).
 */
public record LatentDistribution(NDArray mean, NDArray logvar, NDArray std) {

    /** The distribution of {@code moments} [B, 2·latent, h, w] (mean ‖ log-variance). */
    public static LatentDistribution of(NDArray moments) {
        long c = moments.getShape().get(1) / 2;
        NDArray mean = moments.get(":, :{}", c);
        NDArray logvar = moments.get(":, {}:", c).clip(-30f, 20f);
        return new LatentDistribution(mean, logvar, logvar.mul(0.5f).exp());
    }

    /**
     * A sample mean + std·{@code eps}, with {@code eps} standard normal noise of the mean's shape.
     */
    public NDArray sample(NDArray eps) {
        return mean.add(std.mul(eps));
    }
}
