package image2music.models.diffusion;

import static image2music.models.nn.GradientCheckpoints.apply1;
import static image2music.models.nn.GradientCheckpoints.keep1;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import image2music.models.nn.GradientCheckpoints;
import image2music.models.nn.HfBlock;
import image2music.models.nn.ModuleList;
import java.util.Deque;

/**
 * diffusers' {@code UpBlock2D} and, with text attention, {@code CrossAttnUpBlock2D}: each of the
 * {@code layers_per_block + 1} {@code resnets} first concatenates (on channels) the newest unused
 * skip of the down path, then runs its {@code attentions} entry when present; optionally {@code
 * upsamplers.0.conv} after nearest ×2 upsampling.
 */
public final class UpBlock2D extends HfBlock {

    private final ModuleList<Transformer2DModel> attentions;
    private final ModuleList<ResnetBlock2D> resnets;
    private final Upsample2D upsampler;

    /**
     * An up block producing {@code out} channels from {@code prevOut} (the block below); {@code in}
     * is the channel count of its last skip. {@code heads} &gt; 0 adds attention.
     */
    public UpBlock2D(
            UNet2DConditionConfig c, long in, long out, long prevOut, int heads, boolean upsample) {
        attentions = heads > 0 ? child("attentions", new ModuleList<>()) : null;
        resnets = child("resnets", new ModuleList<>());
        int layers = c.layersPerBlock() + 1;
        for (int i = 0; i < layers; i++) {
            long skip = i == layers - 1 ? in : out;
            long resIn = i == 0 ? prevOut : out;
            resnets.add(
                    new ResnetBlock2D(
                            resIn + skip, out, c.timeEmbedDim(), c.normNumGroups(), c.normEps()));
            if (attentions != null) {
                attentions.add(
                        new Transformer2DModel(
                                out,
                                heads,
                                c.crossAttentionDim(),
                                c.normNumGroups(),
                                c.transformerLayersPerBlock(),
                                c.useLinearProjection()));
            }
        }
        if (upsample) {
            ModuleList<Upsample2D> list = child("upsamplers", new ModuleList<>());
            upsampler = list.add(new Upsample2D(out));
        } else {
            upsampler = null;
        }
    }

    /** Number of skips this block consumes. */
    public int skipCount() {
        return resnets.items().size();
    }

    /**
     * Runs the block, taking its skips from the end of {@code skips}; with a {@code tape}, each
     * resnet (with its skip concatenation) and attention is a checkpointed segment and the
     * upsampler keeps its activations (as diffusers does).
     */
    public NDArray run(
            ParameterStore ps,
            NDArray x,
            Deque<NDArray> skips,
            NDArray temb,
            NDArray context,
            boolean training,
            GradientCheckpoints tape) {
        NDArray h = x;
        for (int i = 0; i < resnets.items().size(); i++) {
            ResnetBlock2D resnet = resnets.items().get(i);
            h =
                    apply1(
                            tape,
                            in ->
                                    new NDList(
                                            resnet.run(
                                                    ps,
                                                    in.get(0).concat(in.get(1), 1),
                                                    in.get(2),
                                                    training)),
                            h,
                            skips.removeLast(),
                            temb);
            if (attentions != null) {
                h = attentions.items().get(i).run(ps, h, context, training, tape);
            }
        }
        if (upsampler != null) {
            h = keep1(tape, in -> new NDList(upsampler.run(ps, in.get(0), training)), h);
        }
        return h;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException("UpBlock2D runs through run()");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        throw new UnsupportedOperationException("UpBlock2D runs through run()");
    }
}
