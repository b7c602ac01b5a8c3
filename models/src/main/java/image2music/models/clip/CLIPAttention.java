package image2music.models.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import image2music.models.nn.HfBlock;
import image2music.models.nn.Linear;
import image2music.models.nn.MultiHeadAttention;

/**
 * HF {@code CLIPAttention}: {@code k_proj}, {@code v_proj}, {@code q_proj}, {@code out_proj}
 * (registered in that order, transformers' state-dict order), softmax(Q Kᵀ/√d + mask) V.
 */
final class CLIPAttention extends HfBlock {

    private final CLIPTextConfig config;
    private final Linear kProj;
    private final Linear vProj;
    private final Linear qProj;
    private final Linear outProj;

    CLIPAttention(CLIPTextConfig c) {
        this.config = c;
        int h = c.hiddenSize();
        // HF's _init_weights for CLIPAttention: in-projections scaled by depth, out by width.
        float factor = c.initializerFactor();
        float inStd = (float) (Math.pow(h, -0.5) * Math.pow(2.0 * c.numHiddenLayers(), -0.5));
        float outStd = (float) Math.pow(h, -0.5);
        kProj = child("k_proj", new Linear(h, h, true, inStd * factor));
        vProj = child("v_proj", new Linear(h, h, true, inStd * factor));
        qProj = child("q_proj", new Linear(h, h, true, inStd * factor));
        outProj = child("out_proj", new Linear(h, h, true, outStd * factor));
    }

    /** Attends {@code x} [B, L, C] over itself with additive {@code mask} (may be null). */
    MultiHeadAttention.Result run(ParameterStore ps, NDArray x, NDArray mask, boolean training) {
        MultiHeadAttention.Result r =
                MultiHeadAttention.attend(
                        call(qProj, ps, x, training),
                        call(kProj, ps, x, training),
                        call(vProj, ps, x, training),
                        config.numAttentionHeads(),
                        mask,
                        config.attentionDropout(),
                        training);
        return new MultiHeadAttention.Result(
                call(outProj, ps, r.context(), training), r.probabilities());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(run(ps, inputs.singletonOrThrow(), null, training).context());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
