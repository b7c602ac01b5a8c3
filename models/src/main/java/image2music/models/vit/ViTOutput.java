package image2music.models.vit;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * What a ViT forward pass produced.
 *
 * @param logits [B, num_labels] (null for a bare {@link ViTModel})
 * @param sequenceOutput [B, L, C] after the final {@code layernorm}
 * @param pooled tanh(pooler.dense(CLS)) [B, C], or null without a pooler
 * @param hiddenStates embeddings then each layer's output (before the final layernorm); empty
 *     unless asked for
 * @param attentions each layer's attention probabilities [B, heads, L, L]; empty unless asked for
 */
public record ViTOutput(
        NDArray logits,
        NDArray sequenceOutput,
        NDArray pooled,
        List<NDArray> hiddenStates,
        List<NDArray> attentions) {}
