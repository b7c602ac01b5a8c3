package image2music.models.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import image2music.models.nn.HfBlock;
import image2music.models.nn.LayerNorm;
import image2music.models.nn.Linear;
import image2music.models.nn.Tensors;

/**
 * diffusers' {@code TextTimeEmbedding}, the UNet's {@code add_embedding} when {@code
 * addition_embed_type} is {@code "text"}: the text states pooled into one vector (layer norm,
 * attention pooling, projection to the time-embedding width, layer norm), which the UNet adds to
 * its time embedding. Every ResNet block then sees the caption directly, not only the
 * cross-attention layers: a path a small model learns from far sooner. Keys: {@code norm1}, {@code
 * pool.positional_embedding}, {@code pool.{q,k,v}_proj}, {@code proj}, {@code norm2}.
 */
final class TextTimeEmbedding extends HfBlock {

    private static final float INIT_STD = 0.02f;
    private static final float LAYER_NORM_EPS = 1e-5f;

    private final LayerNorm norm1;
    private final AttentionPooling pool;
    private final Linear proj;
    private final LayerNorm norm2;

    /**
     * @param encoderDim the text states' width
     * @param timeEmbedDim the time embedding's width
     * @param heads attention-pooling heads (dividing {@code encoderDim})
     */
    TextTimeEmbedding(long encoderDim, long timeEmbedDim, int heads) {
        norm1 = child("norm1", new LayerNorm(encoderDim, LAYER_NORM_EPS));
        pool = child("pool", new AttentionPooling(encoderDim, heads));
        proj = child("proj", new Linear(encoderDim, timeEmbedDim, true, INIT_STD));
        norm2 = child("norm2", new LayerNorm(timeEmbedDim, LAYER_NORM_EPS));
    }

    /** Text states [B, S, D] to [B, time_embed_dim]. */
    NDArray run(ParameterStore ps, NDArray states, boolean training) {
        NDArray h = pool.run(ps, call(norm1, ps, states, training), training);
        return call(norm2, ps, call(proj, ps, h, training), training);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
        return new NDList(run(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape pooled = new Shape(inputShapes[0].get(0), inputShapes[0].get(2));
        return norm2.getOutputShapes(proj.getOutputShapes(new Shape[] {pooled}));
    }

    /**
     * diffusers' {@code AttentionPooling}: a query token (the states' mean plus a learnt position)
     * attends over itself and the states, per head, with no output projection; the result is that
     * token.
     */
    static final class AttentionPooling extends HfBlock {

        private final int heads;
        private final Parameter positionalEmbedding;
        private final Linear kProj;
        private final Linear qProj;
        private final Linear vProj;

        AttentionPooling(long dim, int heads) {
            if (dim % heads != 0) {
                throw new IllegalArgumentException(
                        "attention pooling: " + heads + " heads do not divide width " + dim);
            }
            this.heads = heads;
            positionalEmbedding =
                    param("positional_embedding", Parameter.Type.WEIGHT, new Shape(1, dim));
            positionalEmbedding.setInitializer(new NormalInitializer((float) (1 / Math.sqrt(dim))));
            kProj = child("k_proj", new Linear(dim, dim, true, INIT_STD));
            qProj = child("q_proj", new Linear(dim, dim, true, INIT_STD));
            vProj = child("v_proj", new Linear(dim, dim, true, INIT_STD));
        }

        NDArray run(ParameterStore ps, NDArray x, boolean training) {
            long b = x.getShape().get(0);
            long d = x.getShape().get(2);
            long dimHead = d / heads;
            NDArray token =
                    x.mean(new int[] {1}, true).add(value(ps, positionalEmbedding, x, training));
            NDArray all = token.concat(x, 1);
            // Both sides scaled by d^(-1/4), as diffusers does for half-precision stability.
            double scale = 1 / Math.sqrt(Math.sqrt(dimHead));
            NDArray q = split(Tensors.mul(call(qProj, ps, token, training), scale), b, dimHead);
            NDArray k = split(Tensors.mul(call(kProj, ps, all, training), scale), b, dimHead);
            NDArray v = split(call(vProj, ps, all, training), b, dimHead);
            NDArray weights = q.matMul(k.transpose(0, 1, 3, 2)).softmax(-1);
            // [B, heads, 1, dimHead] → [B, heads · dimHead], head-major as diffusers' reshape.
            return weights.matMul(v).reshape(b, d);
        }

        /** [B, L, D] → [B, heads, L, D / heads]. */
        private NDArray split(NDArray t, long b, long dimHead) {
            return t.reshape(b, -1, heads, dimHead).transpose(0, 2, 1, 3);
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
            return new NDList(run(ps, inputs.singletonOrThrow(), training));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(2))};
        }
    }
}
