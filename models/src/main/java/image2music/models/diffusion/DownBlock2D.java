package image2music.models.diffusion;

import static image2music.models.nn.GradientCheckpoints.keep1;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import image2music.models.nn.GradientCheckpoints;
import image2music.models.nn.HfBlock;
import image2music.models.nn.ModuleList;
import java.util.ArrayList;
import java.util.List;

/**
 * diffusers' {@code DownBlock2D} and, with text attention, {@code CrossAttnDownBlock2D}: {@code
 * resnets} (each followed by its {@code attentions} entry when present), then optionally {@code
 * downsamplers.0.conv} (3×3, stride 2, padding 1). Every intermediate state is kept as a skip for
 * the up path.
 */
public final class DownBlock2D extends HfBlock {

    /**
     * A down block's result.
     *
     * @param hidden the output
     * @param skips the states the up path concatenates, in order (one per resnet, plus the
     *     downsampled output)
     */
    public record Output(NDArray hidden, List<NDArray> skips) {}

    private final ModuleList<Transformer2DModel> attentions;
    private final ModuleList<ResnetBlock2D> resnets;
    private final Downsample2D downsampler;

    /**
     * A block of {@code layers} resnets {@code in -> out}; {@code heads} &gt; 0 adds a {@link
     * Transformer2DModel} after each.
     */
    public DownBlock2D(UNet2DConditionConfig c, long in, long out, int heads, boolean downsample) {
        attentions = heads > 0 ? child("attentions", new ModuleList<>()) : null;
        resnets = child("resnets", new ModuleList<>());
        long temb = c.timeEmbedDim();
        for (int i = 0; i < c.layersPerBlock(); i++) {
            resnets.add(
                    new ResnetBlock2D(
                            i == 0 ? in : out, out, temb, c.normNumGroups(), c.normEps()));
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
        if (downsample) {
            ModuleList<Downsample2D> list = child("downsamplers", new ModuleList<>());
            downsampler = list.add(new Downsample2D(out, c.downsamplePadding()));
        } else {
            downsampler = null;
        }
    }

    /**
     * Runs the block on {@code x} with time embedding {@code temb} and text {@code context}; with a
     * {@code tape}, each resnet and attention is a checkpointed segment and the downsampler keeps
     * its activations (as diffusers does).
     */
    public Output run(
            ParameterStore ps,
            NDArray x,
            NDArray temb,
            NDArray context,
            boolean training,
            GradientCheckpoints tape) {
        List<NDArray> skips = new ArrayList<>();
        NDArray h = x;
        for (int i = 0; i < resnets.items().size(); i++) {
            h = resnets.items().get(i).run(ps, h, temb, training, tape);
            if (attentions != null) {
                h = attentions.items().get(i).run(ps, h, context, training, tape);
            }
            skips.add(h);
        }
        if (downsampler != null) {
            h = keep1(tape, in -> new NDList(downsampler.run(ps, in.get(0), training)), h);
            skips.add(h);
        }
        return new Output(h, skips);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(
                run(ps, inputs.get(0), inputs.get(1), inputs.get(2), training, null).hidden());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        throw new UnsupportedOperationException("DownBlock2D runs through run()");
    }
}
