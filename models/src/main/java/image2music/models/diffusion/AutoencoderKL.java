package image2music.models.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import image2music.models.nn.Conv2d;
import image2music.models.nn.HfBlock;

/**
 * diffusers' {@code AutoencoderKL}: {@code encoder}, {@code decoder}, and the 1×1 {@code
 * quant_conv} / {@code post_quant_conv} (each optional per config). {@link #decode} does not undo
 * the scaling factor, as in diffusers: divide latents by {@link #scalingFactor()} first.
 */
public final class AutoencoderKL extends HfBlock {

    private final AutoencoderKLConfig config;
    private final Encoder encoder;
    private final Decoder decoder;
    private final Conv2d quantConv;
    private final Conv2d postQuantConv;

    /** A VAE for {@code config} (parameters unallocated). */
    public AutoencoderKL(AutoencoderKLConfig config) {
        config.validate();
        this.config = config;
        long latent = config.latentChannels();
        encoder = child("encoder", new Encoder(config));
        decoder = child("decoder", new Decoder(config));
        quantConv =
                config.useQuantConv()
                        ? child("quant_conv", new Conv2d(2 * latent, 2 * latent, 1, 1, 0, 0.02f))
                        : null;
        postQuantConv =
                config.usePostQuantConv()
                        ? child("post_quant_conv", new Conv2d(latent, latent, 1, 1, 0, 0.02f))
                        : null;
    }

    /** The configuration. */
    public AutoencoderKLConfig config() {
        return config;
    }

    /** The factor latents are scaled by for the UNet ({@code scaling_factor}). */
    public float scalingFactor() {
        return config.scalingFactor();
    }

    /** The encoder output before {@code quant_conv} (for inspection and tests). */
    public NDArray encoderOutput(ParameterStore ps, NDArray image, boolean training) {
        return encoder.run(ps, stepInput(ps, image), training);
    }

    /** The moments ({@code quant_conv} of the encoder output) of {@code image} [B, 3, H, W]. */
    public NDArray moments(ParameterStore ps, NDArray image, boolean training) {
        NDArray h = encoderOutput(ps, image, training);
        return quantConv == null ? h : call(quantConv, ps, h, training);
    }

    /** The latent distribution of {@code image} in [−1, 1]. */
    public LatentDistribution encode(ParameterStore ps, NDArray image, boolean training) {
        return LatentDistribution.of(moments(ps, image, training));
    }

    /** Decodes unscaled {@code latents} [B, latent, h, w] to an image in about [−1, 1]. */
    public NDArray decode(ParameterStore ps, NDArray latents, boolean training) {
        NDArray z = stepInput(ps, latents);
        if (postQuantConv != null) {
            z = call(postQuantConv, ps, z, training);
        }
        return decoder.run(ps, z, training);
    }

    /**
     * Decodes unscaled {@code latents} outside training in a sub-manager of {@code manager} that
     * frees every intermediate; only the image is kept, in {@code manager}.
     */
    public NDArray decode(NDManager manager, NDArray latents) {
        try (NDManager step = manager.newSubManager()) {
            NDArray out = decode(new ParameterStore(step, false), latents, false);
            out.attach(manager);
            return out;
        }
    }

    /**
     * The latent mean of {@code image} outside training, computed in a sub-manager of {@code
     * manager}; only the mean is kept, in {@code manager}.
     */
    public NDArray encodeMean(NDManager manager, NDArray image) {
        try (NDManager step = manager.newSubManager()) {
            // A copy: the mean is a slice of the moments, and a slice kept past its step
            // leaves an array behind in the caller's manager when closed.
            NDArray mean = encode(new ParameterStore(step, false), image, false).mean().duplicate();
            mean.attach(manager);
            return mean;
        }
    }

    /**
     * Input: image; output: decode(mean of encode(image)) (diffusers' forward without sampling).
     */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray mean = encode(ps, inputs.singletonOrThrow(), training).mean();
        return new NDList(decode(ps, mean, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), config.outChannels(), s.get(2), s.get(3))};
    }
}
