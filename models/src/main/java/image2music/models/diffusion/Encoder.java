package image2music.models.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import image2music.models.nn.Conv2d;
import image2music.models.nn.GroupNorm;
import image2music.models.nn.ModuleList;
import image2music.models.nn.UnaryBlock;
import java.util.List;

/**
 * diffusers' VAE {@code Encoder}: {@code conv_in}, {@code down_blocks} (each but the last halves
 * the size), {@code mid_block}, {@code conv_norm_out}, SiLU, {@code conv_out} to 2 × latent
 * channels (mean ‖ log-variance).
 */
public final class Encoder extends UnaryBlock {

    private final Conv2d convIn;
    private final ModuleList<VaeBlocks.DownEncoderBlock2D> downBlocks;
    private final VaeBlocks.UNetMidBlock2D midBlock;
    private final GroupNorm convNormOut;
    private final Conv2d convOut;

    /** The encoder for {@code c}. */
    public Encoder(AutoencoderKLConfig c) {
        List<Integer> ch = c.blockOutChannels();
        int levels = ch.size();
        int groups = c.normNumGroups();
        convIn = child("conv_in", new Conv2d(c.inChannels(), ch.get(0), 3, 1, 1, 0.02f));
        downBlocks = child("down_blocks", new ModuleList<>());
        long out = ch.get(0);
        for (int i = 0; i < levels; i++) {
            long in = out;
            out = ch.get(i);
            downBlocks.add(
                    new VaeBlocks.DownEncoderBlock2D(
                            in, out, c.layersPerBlock(), groups, i < levels - 1));
        }
        midBlock =
                child(
                        "mid_block",
                        new VaeBlocks.UNetMidBlock2D(out, groups, c.midBlockAddAttention()));
        convNormOut =
                child("conv_norm_out", new GroupNorm(groups, out, AutoencoderKLConfig.NORM_EPS));
        convOut = child("conv_out", new Conv2d(out, 2L * c.latentChannels(), 3, 1, 1, 0.02f));
    }

    /** Encodes {@code image} [B, in, H, W] to [B, 2·latent, H/f, W/f]. */
    @Override
    public NDArray run(ParameterStore ps, NDArray image, boolean training) {
        NDArray h = call(convIn, ps, image, training);
        for (VaeBlocks.DownEncoderBlock2D b : downBlocks.items()) {
            h = b.run(ps, h, training);
        }
        h = midBlock.run(ps, h, training);
        h = convNormOut.forwardSilu(ps, h, training);
        return call(convOut, ps, h, training);
    }
}
