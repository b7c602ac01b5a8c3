package image2music.models.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import image2music.models.nn.ModuleList;
import image2music.models.nn.UnaryBlock;

/** The VAE's blocks (no time embedding; every group norm at eps 1e-6). */
final class VaeBlocks {

    private VaeBlocks() {}

    private static ResnetBlock2D resnet(long in, long out, int groups) {
        return new ResnetBlock2D(in, out, 0, groups, AutoencoderKLConfig.NORM_EPS);
    }

    /**
     * The shape diffusers' encoder and decoder blocks share: {@code resnets} ({@code in → out},
     * then {@code out → out}), then an optional resampler registered as {@code <samplers>.0}.
     */
    private abstract static class ResnetStack extends UnaryBlock {

        private final ModuleList<ResnetBlock2D> resnets;
        private final UnaryBlock sampler;

        ResnetStack(long in, long out, int layers, int groups, String samplers, UnaryBlock s) {
            resnets = child("resnets", new ModuleList<>());
            for (int i = 0; i < layers; i++) {
                resnets.add(resnet(i == 0 ? in : out, out, groups));
            }
            if (s != null) {
                ModuleList<UnaryBlock> list = child(samplers, new ModuleList<>());
                sampler = list.add(s);
            } else {
                sampler = null;
            }
        }

        @Override
        public NDArray run(ParameterStore ps, NDArray x, boolean training) {
            NDArray h = x;
            for (ResnetBlock2D r : resnets.items()) {
                h = r.run(ps, h, null, training);
            }
            return sampler == null ? h : sampler.run(ps, h, training);
        }
    }

    /** diffusers' {@code DownEncoderBlock2D}: {@code resnets}, then {@code downsamplers.0}. */
    static final class DownEncoderBlock2D extends ResnetStack {

        DownEncoderBlock2D(long in, long out, int layers, int groups, boolean downsample) {
            super(
                    in,
                    out,
                    layers,
                    groups,
                    "downsamplers",
                    downsample ? new Downsample2D(out, 0) : null);
        }
    }

    /** diffusers' {@code UpDecoderBlock2D}: {@code resnets}, then {@code upsamplers.0}. */
    static final class UpDecoderBlock2D extends ResnetStack {

        UpDecoderBlock2D(long in, long out, int layers, int groups, boolean upsample) {
            super(in, out, layers, groups, "upsamplers", upsample ? new Upsample2D(out) : null);
        }
    }

    /**
     * diffusers' {@code UNetMidBlock2D} as the VAE builds it: {@code resnets.0}, then {@code
     * attentions.0} (one head over all channels, with group norm and residual) and {@code
     * resnets.1}.
     */
    static final class UNetMidBlock2D extends UnaryBlock {

        private final ModuleList<Attention> attentions;
        private final ModuleList<ResnetBlock2D> resnets;

        UNetMidBlock2D(long channels, int groups, boolean withAttention) {
            attentions = withAttention ? child("attentions", new ModuleList<>()) : null;
            resnets = child("resnets", new ModuleList<>());
            resnets.add(resnet(channels, channels, groups));
            if (attentions != null) {
                attentions.add(Attention.spatial(channels, groups, AutoencoderKLConfig.NORM_EPS));
            }
            resnets.add(resnet(channels, channels, groups));
        }

        @Override
        public NDArray run(ParameterStore ps, NDArray x, boolean training) {
            NDArray h = resnets.items().get(0).run(ps, x, null, training);
            if (attentions != null) {
                h = attentions.items().get(0).runSpatial(ps, h, training);
            }
            return resnets.items().get(1).run(ps, h, null, training);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }
    }
}
