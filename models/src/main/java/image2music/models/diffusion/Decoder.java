package image2music.models.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import image2music.models.nn.Conv2d;
import image2music.models.nn.GroupNorm;
import image2music.models.nn.ModuleList;
import image2music.models.nn.UnaryBlock;
import java.util.List;

/**
 * diffusers' VAE {@code Decoder}: {@code conv_in}, {@code mid_block}, {@code up_blocks} (each but
 * the last doubles the size), {@code conv_norm_out}, SiLU, {@code conv_out}. Registered in
 * diffusers' order ({@code up_blocks} before {@code mid_block}).
 */
public final class Decoder extends UnaryBlock {

    private final Conv2d convIn;
    private final ModuleList<VaeBlocks.UpDecoderBlock2D> upBlocks;
    private final VaeBlocks.UNetMidBlock2D midBlock;
    private final GroupNorm convNormOut;
    private final Conv2d convOut;

    /** The decoder for {@code c}. */
    public Decoder(AutoencoderKLConfig c) {
        List<Integer> ch = c.blockOutChannels();
        int levels = ch.size();
        int groups = c.normNumGroups();
        long deepest = ch.get(levels - 1);
        convIn = child("conv_in", new Conv2d(c.latentChannels(), deepest, 3, 1, 1, 0.02f));
        upBlocks = child("up_blocks", new ModuleList<>());
        midBlock =
                child(
                        "mid_block",
                        new VaeBlocks.UNetMidBlock2D(deepest, groups, c.midBlockAddAttention()));
        long out = deepest;
        for (int i = 0; i < levels; i++) {
            long prev = out;
            out = ch.get(levels - 1 - i);
            upBlocks.add(
                    new VaeBlocks.UpDecoderBlock2D(
                            prev, out, c.layersPerBlock() + 1, groups, i < levels - 1));
        }
        convNormOut =
                child("conv_norm_out", new GroupNorm(groups, out, AutoencoderKLConfig.NORM_EPS));
        convOut = child("conv_out", new Conv2d(out, c.outChannels(), 3, 1, 1, 0.02f));
    }

    /** Decodes latents [B, latent, h, w] (after {@code post_quant_conv}) to an image. */
    @Override
    public NDArray run(ParameterStore ps, NDArray z, boolean training) {
        NDArray h = call(convIn, ps, z, training);
        h = midBlock.run(ps, h, training);
        for (VaeBlocks.UpDecoderBlock2D b : upBlocks.items()) {
            h = b.run(ps, h, training);
        }
        h = convNormOut.forwardSilu(ps, h, training);
        return call(convOut, ps, h, training);
    }
}
