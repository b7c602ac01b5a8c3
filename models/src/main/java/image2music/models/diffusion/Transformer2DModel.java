package image2music.models.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import image2music.models.nn.Conv2d;
import image2music.models.nn.GradientCheckpoints;
import image2music.models.nn.GroupNorm;
import image2music.models.nn.HfBlock;
import image2music.models.nn.Linear;
import image2music.models.nn.ModuleList;

/**
 * diffusers' {@code Transformer2DModel} on continuous input: {@code norm} (GroupNorm, eps 1e-6),
 * {@code proj_in} (1×1 conv, or Linear with {@code use_linear_projection}), pixels as a sequence
 * through {@code transformer_blocks}, {@code proj_out} back, plus the input as residual.
 */
public final class Transformer2DModel extends HfBlock {

    private static final float NORM_EPS = 1e-6f;
    private static final float INIT_STD = 0.02f;

    private final GroupNorm norm;
    private final Block projIn;
    private final ModuleList<BasicTransformerBlock> transformerBlocks;
    private final Block projOut;
    private final boolean linearProjection;
    private final long inner;

    /**
     * A transformer over {@code channels} with {@code heads} heads of {@code channels / heads}.
     *
     * @param layers transformer blocks ({@code transformer_layers_per_block})
     */
    public Transformer2DModel(
            long channels,
            int heads,
            long crossDim,
            int groups,
            int layers,
            boolean linearProjection) {
        if (channels % heads != 0) {
            throw new IllegalArgumentException(
                    channels + " channels do not split into " + heads + " attention heads");
        }
        this.linearProjection = linearProjection;
        long dimHead = channels / heads;
        inner = heads * dimHead;
        norm = child("norm", new GroupNorm(groups, channels, NORM_EPS));
        projIn =
                child(
                        "proj_in",
                        linearProjection
                                ? new Linear(channels, inner, true, INIT_STD)
                                : new Conv2d(channels, inner, 1, 1, 0, INIT_STD));
        transformerBlocks = child("transformer_blocks", new ModuleList<>());
        for (int i = 0; i < layers; i++) {
            transformerBlocks.add(new BasicTransformerBlock(inner, heads, dimHead, crossDim));
        }
        projOut =
                child(
                        "proj_out",
                        linearProjection
                                ? new Linear(inner, channels, true, INIT_STD)
                                : new Conv2d(inner, channels, 1, 1, 0, INIT_STD));
    }

    /** Runs on {@code x} [B, C, H, W] with text states {@code context} [B, S, crossDim]. */
    public NDArray run(ParameterStore ps, NDArray x, NDArray context, boolean training) {
        return Scopes.run(ps, x, training, (inner, in) -> compute(inner, in, context, training));
    }

    /**
     * {@link #run} with gradient checkpointing when {@code tape} is not null, as diffusers does it:
     * each transformer block is a segment of {@code tape}; the norm and the projections around them
     * run once and keep their activations.
     */
    public NDArray run(
            ParameterStore ps,
            NDArray x,
            NDArray context,
            boolean training,
            GradientCheckpoints tape) {
        if (tape == null) {
            return run(ps, x, context, training);
        }
        NDArray y =
                GradientCheckpoints.keep1(
                        tape, in -> new NDList(projectIn(ps, in.get(0), training)), x);
        for (BasicTransformerBlock block : transformerBlocks.items()) {
            y =
                    GradientCheckpoints.apply1(
                            tape,
                            in -> new NDList(block.run(ps, in.get(0), in.get(1), training)),
                            y,
                            context);
        }
        return GradientCheckpoints.keep1(
                tape, in -> new NDList(projectOut(ps, in.get(0), in.get(1), training)), y, x);
    }

    private NDArray compute(ParameterStore ps, NDArray x, NDArray context, boolean training) {
        NDArray y = projectIn(ps, x, training);
        for (BasicTransformerBlock block : transformerBlocks.items()) {
            y = block.run(ps, y, context, training);
        }
        return projectOut(ps, y, x, training);
    }

    /** Norm and input projection of {@code x} [B, C, H, W]: the token sequence [B, H·W, inner]. */
    private NDArray projectIn(ParameterStore ps, NDArray x, boolean training) {
        Shape s = x.getShape();
        long b = s.get(0);
        long h = s.get(2);
        long w = s.get(3);
        NDArray y = call(norm, ps, x, training);
        if (!linearProjection) {
            y = call(projIn, ps, y, training);
        }
        y = y.transpose(0, 2, 3, 1).reshape(b, h * w, linearProjection ? s.get(1) : inner);
        if (linearProjection) {
            y = call(projIn, ps, y, training);
        }
        return y;
    }

    /** Output projection of the tokens {@code y} back to {@code x}'s shape, plus {@code x}. */
    private NDArray projectOut(ParameterStore ps, NDArray y, NDArray x, boolean training) {
        Shape s = x.getShape();
        long b = s.get(0);
        long h = s.get(2);
        long w = s.get(3);
        if (linearProjection) {
            y = call(projOut, ps, y, training);
            y = y.reshape(b, h, w, s.get(1)).transpose(0, 3, 1, 2);
        } else {
            y = y.reshape(b, h, w, inner).transpose(0, 3, 1, 2);
            y = call(projOut, ps, y, training);
        }
        return y.add(x);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(run(ps, inputs.get(0), inputs.get(1), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
