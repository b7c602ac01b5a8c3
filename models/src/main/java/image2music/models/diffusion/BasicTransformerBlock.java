package image2music.models.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import image2music.models.nn.GEGLU;
import image2music.models.nn.HfBlock;
import image2music.models.nn.LayerNorm;
import image2music.models.nn.Linear;

/**
 * diffusers' {@code BasicTransformerBlock} as SD1.x uses it: self-attention ({@code norm1}, {@code
 * attn1}), cross-attention over the text ({@code norm2}, {@code attn2}) and a GEGLU feed-forward
 * ({@code norm3}, {@code ff.net.0.proj}, {@code ff.net.2}), each pre-norm with a residual.
 */
public final class BasicTransformerBlock extends HfBlock {

    private static final float NORM_EPS = 1e-5f;
    private static final float INIT_STD = 0.02f;

    private final LayerNorm norm1;
    private final Attention attn1;
    private final LayerNorm norm2;
    private final Attention attn2;
    private final LayerNorm norm3;
    private final FeedForward ff;

    /**
     * A block over {@code dim} features, {@code heads} × {@code dimHead}, text of {@code crossDim}.
     */
    public BasicTransformerBlock(long dim, int heads, long dimHead, long crossDim) {
        norm1 = child("norm1", new LayerNorm(dim, NORM_EPS));
        attn1 = child("attn1", new Attention(dim, dim, heads, dimHead, false, 0, 0f));
        norm2 = child("norm2", new LayerNorm(dim, NORM_EPS));
        attn2 = child("attn2", new Attention(dim, crossDim, heads, dimHead, false, 0, 0f));
        norm3 = child("norm3", new LayerNorm(dim, NORM_EPS));
        ff = child("ff", new FeedForward(dim));
    }

    /**
     * Runs the block on {@code x} [B, L, dim] with text states {@code context} [B, S, crossDim].
     */
    public NDArray run(ParameterStore ps, NDArray x, NDArray context, boolean training) {
        return Scopes.run(ps, x, training, (inner, in) -> compute(inner, in, context, training));
    }

    private NDArray compute(ParameterStore ps, NDArray x, NDArray context, boolean training) {
        NDArray h = attn1.run(ps, call(norm1, ps, x, training), null, training).add(x);
        h = attn2.run(ps, call(norm2, ps, h, training), context, training).add(h);
        return call(ff, ps, call(norm3, ps, h, training), training).add(h);
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

    /**
     * diffusers' {@code FeedForward} with GEGLU: {@code net.0} (GEGLU to 4·dim), {@code net.1}
     * (dropout, no parameters), {@code net.2} (back to dim).
     */
    static final class FeedForward extends HfBlock {

        private final Net net;

        FeedForward(long dim) {
            net = child("net", new Net(dim));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
            NDArray h = call(net.geglu, ps, inputs.singletonOrThrow(), training);
            return new NDList(call(net.out, ps, h, training));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }
    }

    /** The {@code net} list; element 1 is a parameter-free dropout and so is not registered. */
    static final class Net extends HfBlock {

        private final GEGLU geglu;
        private final Linear out;

        Net(long dim) {
            geglu = child("0", new GEGLU(dim, 4 * dim, INIT_STD));
            out = child("2", new Linear(4 * dim, dim, true, INIT_STD));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
            return new NDList(
                    call(out, ps, call(geglu, ps, in.singletonOrThrow(), training), training));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }
    }
}
