package image2music.models.clip;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * What a CLIP text encoder pass produced.
 *
 * @param lastHiddenState [B, L, C] after {@code final_layer_norm}: Stable Diffusion's {@code
 *     encoder_hidden_states}
 * @param pooledOutput [B, C], the last hidden state at each row's end-of-text position
 * @param hiddenStates the embeddings, then each layer's output (before the final norm); empty
 *     unless asked for
 */
public record CLIPTextOutput(
        NDArray lastHiddenState, NDArray pooledOutput, List<NDArray> hiddenStates) {}
