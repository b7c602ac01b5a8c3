package image2music.models.nn;

import ai.djl.ndarray.NDArray;

/**
 * Scaled dot-product attention batched over heads, written with {@code matMul} + {@code softmax}
 * (DJL 0.33 exposes no fused kernel): softmax(Q Kᵀ / √d + mask) V per head, as HF's eager attention
 * computes it.
 */
public final class MultiHeadAttention {

    /**
     * The result of attention.
     *
     * @param context [B, L, C], heads concatenated back
     * @param probabilities [B, heads, L, S], after softmax (before dropout)
     */
    public record Result(NDArray context, NDArray probabilities) {}

    private MultiHeadAttention() {}

    /**
     * Attends {@code query} [B, L, C] over {@code key}/{@code value} [B, S, C] with {@code heads}
     * heads of C / heads channels each.
     *
     * @param mask added to the scores before softmax (broadcast to [B, heads, L, S]); may be null
     * @param dropout attention-probability dropout rate, applied only when {@code training}
     */
    public static Result attend(
            NDArray query,
            NDArray key,
            NDArray value,
            int heads,
            NDArray mask,
            float dropout,
            boolean training) {
        long channels = query.getShape().get(2);
        if (channels % heads != 0) {
            throw new IllegalArgumentException(
                    "hidden size " + channels + " is not a multiple of " + heads + " heads");
        }
        NDArray q = splitHeads(query, heads);
        NDArray k = splitHeads(key, heads);
        NDArray v = splitHeads(value, heads);
        NDArray scores =
                Tensors.div(q.matMul(k.transpose(0, 1, 3, 2)), Math.sqrt(channels / heads));
        if (mask != null) {
            scores = scores.add(mask);
        }
        NDArray probs = scores.softmax(-1);
        NDArray used =
                training && dropout > 0
                        ? ai.djl.nn.norm.Dropout.dropout(probs, dropout, true).singletonOrThrow()
                        : probs;
        NDArray ctx = used.matMul(v).transpose(0, 2, 1, 3);
        long b = query.getShape().get(0);
        long l = query.getShape().get(1);
        return new Result(ctx.reshape(b, l, channels), probs);
    }

    /** [B, L, C] -> [B, heads, L, C / heads]. */
    private static NDArray splitHeads(NDArray x, int heads) {
        long b = x.getShape().get(0);
        long l = x.getShape().get(1);
        long c = x.getShape().get(2);
        return x.reshape(b, l, heads, c / heads).transpose(0, 2, 1, 3);
    }
}
