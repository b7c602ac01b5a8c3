package image2music.models.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import image2music.models.nn.GradientCheckpoints;
import image2music.models.nn.HfBlock;
import image2music.models.nn.ModuleList;

/**
 * diffusers' {@code UNetMidBlock2DCrossAttn}: {@code resnets.0}, then for each layer {@code
 * attentions.i} followed by {@code resnets.i+1}, all at the deepest channel count.
 */
public final class UNetMidBlock2DCrossAttn extends HfBlock {

    private final ModuleList<Transformer2DModel> attentions;
    private final ModuleList<ResnetBlock2D> resnets;

    /** The mid block at {@code channels} with {@code heads} attention heads. */
    public UNetMidBlock2DCrossAttn(UNet2DConditionConfig c, long channels, int heads) {
        attentions = child("attentions", new ModuleList<>());
        resnets = child("resnets", new ModuleList<>());
        resnets.add(resnet(c, channels));
        attentions.add(
                new Transformer2DModel(
                        channels,
                        heads,
                        c.crossAttentionDim(),
                        c.normNumGroups(),
                        c.transformerLayersPerBlock(),
                        c.useLinearProjection()));
        resnets.add(resnet(c, channels));
    }

    private static ResnetBlock2D resnet(UNet2DConditionConfig c, long channels) {
        return new ResnetBlock2D(
                channels, channels, c.timeEmbedDim(), c.normNumGroups(), c.normEps());
    }

    /**
     * Runs the block on {@code x} with time embedding {@code temb} and text {@code context}; with a
     * {@code tape}, each resnet and attention is a checkpointed segment.
     */
    public NDArray run(
            ParameterStore ps,
            NDArray x,
            NDArray temb,
            NDArray context,
            boolean training,
            GradientCheckpoints tape) {
        NDArray h = resnets.items().get(0).run(ps, x, temb, training, tape);
        for (int i = 0; i < attentions.items().size(); i++) {
            h = attentions.items().get(i).run(ps, h, context, training, tape);
            h = resnets.items().get(i + 1).run(ps, h, temb, training, tape);
        }
        return h;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(run(ps, inputs.get(0), inputs.get(1), inputs.get(2), training, null));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
