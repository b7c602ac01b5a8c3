package image2music.models.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import image2music.models.nn.Autocast;
import image2music.models.nn.FusedOps;
import image2music.models.nn.GroupNorm;
import image2music.models.nn.HfBlock;
import image2music.models.nn.Linear;
import image2music.models.nn.ModuleList;
import image2music.models.nn.Tensors;

/**
 * diffusers' {@code Attention} with {@code AttnProcessor} semantics: {@code to_q}, {@code to_k},
 * {@code to_v} and {@code to_out.0}, softmax(Q Kᵀ/√d) V batched over heads (two batched matrix
 * products, no per-head loop). The VAE's variant (built with {@link #spatial}) also has {@code
 * group_norm}, takes NCHW input and adds the residual.
 */
public final class Attention extends HfBlock {

    private static final float INIT_STD = 0.02f;

    private final GroupNorm groupNorm;
    private final Linear toQ;
    private final Linear toK;
    private final Linear toV;
    private final ModuleList<Linear> toOut;
    private final int heads;
    private final long dimHead;

    /**
     * Attention over {@code queryDim} features with keys/values from {@code kvDim} features (equal
     * for self-attention), {@code heads} heads of {@code dimHead}.
     *
     * @param qkvBias whether {@code to_q/k/v} have biases ({@code bias} in diffusers)
     * @param normGroups groups of the {@code group_norm} before projection, 0 for none
     */
    public Attention(
            long queryDim,
            long kvDim,
            int heads,
            long dimHead,
            boolean qkvBias,
            int normGroups,
            float normEps) {
        this.heads = heads;
        this.dimHead = dimHead;
        long inner = heads * dimHead;
        groupNorm =
                normGroups > 0
                        ? child("group_norm", new GroupNorm(normGroups, queryDim, normEps))
                        : null;
        toQ = child("to_q", new Linear(queryDim, inner, qkvBias, INIT_STD));
        toK = child("to_k", new Linear(kvDim, inner, qkvBias, INIT_STD));
        toV = child("to_v", new Linear(kvDim, inner, qkvBias, INIT_STD));
        toOut = child("to_out", new ModuleList<>());
        toOut.add(new Linear(inner, queryDim, true, INIT_STD));
    }

    /** The VAE mid-block attention: one head over all channels, group norm, residual. */
    public static Attention spatial(long channels, int normGroups, float normEps) {
        return new Attention(channels, channels, 1, channels, true, normGroups, normEps);
    }

    /** Attends {@code x} [B, L, C] over {@code context} [B, S, C'] (null: self-attention). */
    public NDArray run(ParameterStore ps, NDArray x, NDArray context, boolean training) {
        NDArray kv = context == null ? x : context;
        long b = x.getShape().get(0);
        long l = x.getShape().get(1);
        long s = kv.getShape().get(1);
        long inner = heads * dimHead;
        NDArray q = call(toQ, ps, x, training).reshape(b, l, heads, dimHead).transpose(0, 2, 1, 3);
        NDArray k = call(toK, ps, kv, training).reshape(b, s, heads, dimHead);
        NDArray v = call(toV, ps, kv, training).reshape(b, s, heads, dimHead).transpose(0, 2, 1, 3);
        NDArray ctx;
        if (Autocast.type() == null && FusedOps.available()) {
            ctx = FusedOps.attention(q, k.transpose(0, 2, 1, 3), v);
        } else {
            // Scaling Q (B·L·C values) rather than the scores (B·heads·L·S) saves a pass over
            // the largest tensor of the block. Under autocast the two products run in half
            // precision and the softmax in float32.
            NDArray scores =
                    Autocast.lower(Tensors.mul(q, 1 / Math.sqrt(dimHead)))
                            .matMul(Autocast.lower(k.transpose(0, 2, 3, 1)));
            NDArray probs = Autocast.raise(scores).softmax(-1);
            ctx = Autocast.raise(Autocast.lower(probs).matMul(Autocast.lower(v)));
        }
        ctx = ctx.transpose(0, 2, 1, 3).reshape(b, l, inner);
        return call(toOut.items().get(0), ps, ctx, training);
    }

    /**
     * The spatial variant on NCHW {@code x}: x + attention(group_norm(x)) as a sequence of pixels.
     */
    public NDArray runSpatial(ParameterStore ps, NDArray x, boolean training) {
        return Scopes.run(ps, x, training, (inner, in) -> computeSpatial(inner, in, training));
    }

    private NDArray computeSpatial(ParameterStore ps, NDArray x, boolean training) {
        Shape s = x.getShape();
        long b = s.get(0);
        long c = s.get(1);
        NDArray h = x.reshape(b, c, s.get(2) * s.get(3));
        if (groupNorm != null) {
            h = call(groupNorm, ps, h, training);
        }
        h = h.transpose(0, 2, 1);
        NDArray out = run(ps, h, null, training);
        return out.transpose(0, 2, 1).reshape(s).add(x);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        if (x.getShape().dimension() == 4) {
            return new NDList(runSpatial(ps, x, training));
        }
        return new NDList(run(ps, x, inputs.size() > 1 ? inputs.get(1) : null, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
