package image2music.models.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import image2music.models.nn.HfBlock;
import image2music.models.nn.ModuleList;

/** The VAE's blocks (no time embedding; every group norm at eps 1e-6). */
final class VaeBlocks {

    private VaeBlocks() {}

    private static ResnetBlock2D resnet(long in, long out, int groups) {
        return new ResnetBlock2D(in, out, 0, groups, AutoencoderKLConfig.NORM_EPS);
    }

    /** diffusers' {@code DownEncoderBlock2D}: {@code resnets}, then {@code downsamplers.0}. */
    static final class DownEncoderBlock2D extends HfBlock {

        private final ModuleList<ResnetBlock2D> resnets;
        private final Downsample2D downsampler;

        DownEncoderBlock2D(long in, long out, int layers, int groups, boolean downsample) {
            resnets = child("resnets", new ModuleList<>());
            for (int i = 0; i < layers; i++) {
                resnets.add(resnet(i == 0 ? in : out, out, groups));
            }
            if (downsample) {
                ModuleList<Downsample2D> list = child("downsamplers", new ModuleList<>());
                downsampler = list.add(new Downsample2D(out, 0));
            } else {
                downsampler = null;
            }
        }

        NDArray run(ParameterStore ps, NDArray x, boolean training) {
            NDArray h = x;
            for (ResnetBlock2D r : resnets.items()) {
                h = r.run(ps, h, null, training);
            }
            return downsampler == null ? h : downsampler.run(ps, h, training);
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
            return new NDList(run(ps, in.singletonOrThrow(), training));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            throw new UnsupportedOperationException("runs through run()");
        }
    }

    /** diffusers' {@code UpDecoderBlock2D}: {@code resnets}, then {@code upsamplers.0}. */
    static final class UpDecoderBlock2D extends HfBlock {

        private final ModuleList<ResnetBlock2D> resnets;
        private final Upsample2D upsampler;

        UpDecoderBlock2D(long in, long out, int layers, int groups, boolean upsample) {
            resnets = child("resnets", new ModuleList<>());
            for (int i = 0; i < layers; i++) {
                resnets.add(resnet(i == 0 ? in : out, out, groups));
            }
            if (upsample) {
                ModuleList<Upsample2D> list = child("upsamplers", new ModuleList<>());
                upsampler = list.add(new Upsample2D(out));
            } else {
                upsampler = null;
            }
        }

        NDArray run(ParameterStore ps, NDArray x, boolean training) {
            NDArray h = x;
            for (ResnetBlock2D r : resnets.items()) {
                h = r.run(ps, h, null, training);
            }
            return upsampler == null ? h : upsampler.run(ps, h, training);
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
            return new NDList(run(ps, in.singletonOrThrow(), training));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            throw new UnsupportedOperationException("runs through run()");
        }
    }

    /**
     * diffusers' {@code UNetMidBlock2D} as the VAE builds it: {@code resnets.0}, then {@code
     * attentions.0} (one head over all channels, with group norm and residual) and {@code
     * resnets.1}.
     */
    static final class UNetMidBlock2D extends HfBlock {

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

        NDArray run(ParameterStore ps, NDArray x, boolean training) {
            NDArray h = resnets.items().get(0).run(ps, x, null, training);
            if (attentions != null) {
                h = attentions.items().get(0).runSpatial(ps, h, training);
            }
            return resnets.items().get(1).run(ps, h, null, training);
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
            return new NDList(run(ps, in.singletonOrThrow(), training));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }
    }
}
