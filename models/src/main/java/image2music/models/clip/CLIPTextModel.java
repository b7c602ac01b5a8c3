package image2music.models.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import image2music.models.nn.HfBlock;

/**
 * HF {@code CLIPTextModel}, Stable Diffusion's text encoder: a {@link CLIPTextTransformer} under
 * the key prefix {@code text_model.} (so its keys are those of SD's {@code text_encoder/}).
 */
public final class CLIPTextModel extends HfBlock {

    private final CLIPTextConfig config;
    private final CLIPTextTransformer textModel;

    /** A text encoder for {@code config} (parameters uninitialised until loaded or initialised). */
    public CLIPTextModel(CLIPTextConfig config) {
        this.config = config;
        textModel = child("text_model", new CLIPTextTransformer(config));
    }

    /** The configuration. */
    public CLIPTextConfig config() {
        return config;
    }

    /**
     * Encodes {@code inputIds} [B, L] (L ≤ max_position_embeddings, typically the tokenizer's 77).
     *
     * @param keepHiddenStates also return the embeddings and every layer's output
     */
    public CLIPTextOutput run(
            ParameterStore ps, NDArray inputIds, boolean training, boolean keepHiddenStates) {
        return textModel.run(ps, inputIds, training, keepHiddenStates);
    }

    /** Input: ids [B, L]; output: last hidden state [B, L, C] and pooled output [B, C]. */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return textModel.forward(ps, inputs, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return textModel.getOutputShapes(inputShapes);
    }
}
