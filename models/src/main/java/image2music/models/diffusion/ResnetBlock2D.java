package image2music.models.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import image2music.models.nn.Conv2d;
import image2music.models.nn.FusedOps;
import image2music.models.nn.GradientCheckpoints;
import image2music.models.nn.GroupNorm;
import image2music.models.nn.HfBlock;
import image2music.models.nn.Linear;

/**
 * diffusers' {@code ResnetBlock2D} (pre-norm, SiLU, {@code time_embedding_norm="default"}, output
 * scale 1): x' = shortcut(x) + conv2(silu(norm2(conv1(silu(norm1(x))) + proj(silu(temb))))). {@code
 * time_emb_proj} exists only when the block takes a time embedding (the UNet's, not the VAE's);
 * {@code conv_shortcut} (1×1) only when the channel count changes.
 */
public final class ResnetBlock2D extends HfBlock {

    private static final float INIT_STD = 0.02f;

    private final GroupNorm norm1;
    private final Conv2d conv1;
    private final Linear timeEmbProj;
    private final GroupNorm norm2;
    private final Conv2d conv2;
    private final Conv2d convShortcut;
    private final long out;

    /**
     * A block {@code in -> out} channels; {@code tembChannels} 0 means no time embedding.
     *
     * @param groups group-norm groups of both norms
     * @param eps their epsilon
     */
    public ResnetBlock2D(long in, long out, long tembChannels, int groups, float eps) {
        this.out = out;
        norm1 = child("norm1", new GroupNorm(groups, in, eps));
        conv1 = child("conv1", new Conv2d(in, out, 3, 1, 1, INIT_STD));
        timeEmbProj =
                tembChannels > 0
                        ? child("time_emb_proj", new Linear(tembChannels, out, true, INIT_STD))
                        : null;
        norm2 = child("norm2", new GroupNorm(groups, out, eps));
        conv2 = child("conv2", new Conv2d(out, out, 3, 1, 1, INIT_STD));
        convShortcut =
                in != out ? child("conv_shortcut", new Conv2d(in, out, 1, 1, 0, INIT_STD)) : null;
    }

    /** Runs the block on {@code x} [B, in, H, W] with time embedding {@code temb} (may be null). */
    public NDArray run(ParameterStore ps, NDArray x, NDArray temb, boolean training) {
        return Scopes.run(ps, x, training, (inner, in) -> compute(inner, in, temb, training));
    }

    /** {@link #run} as one segment of {@code tape}, or directly when it is null. */
    public NDArray run(
            ParameterStore ps,
            NDArray x,
            NDArray temb,
            boolean training,
            GradientCheckpoints tape) {
        return GradientCheckpoints.apply1(
                tape, in -> new NDList(run(ps, in.get(0), in.get(1), training)), x, temb);
    }

    private NDArray compute(ParameterStore ps, NDArray x, NDArray temb, boolean training) {
        Scopes.Release used = new Scopes.Release(training);
        NDArray h = norm1.forwardSilu(ps, x, training);
        h = used.then(h, call(conv1, ps, h, training));
        if (timeEmbProj != null && temb != null) {
            NDArray t = call(timeEmbProj, ps, FusedOps.silu(temb), training);
            h = used.plus(h, t.reshape(t.getShape().get(0), out, 1, 1));
        }
        h = used.then(h, norm2.forwardSilu(ps, h, training));
        h = used.then(h, call(conv2, ps, h, training));
        NDArray skip = convShortcut == null ? x : call(convShortcut, ps, x, training);
        h = used.plus(h, skip);
        return skip == x ? h : used.then(skip, h);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(
                run(ps, inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), out, s.get(2), s.get(3))};
    }
}
