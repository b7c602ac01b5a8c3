package image2music.models.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import image2music.models.nn.HfBlock;
import image2music.models.nn.LayerNorm;
import image2music.models.nn.Mlp;

/**
 * HF {@code CLIPEncoderLayer}, pre-norm: h = x + self_attn(layer_norm1(x)), then h +
 * mlp(layer_norm2(h)). Children in transformers' order: {@code self_attn}, {@code layer_norm1},
 * {@code mlp}, {@code layer_norm2}.
 */
final class CLIPEncoderLayer extends HfBlock {

    private final CLIPAttention selfAttn;
    private final LayerNorm layerNorm1;
    private final Mlp mlp;
    private final LayerNorm layerNorm2;

    CLIPEncoderLayer(CLIPTextConfig c) {
        int h = c.hiddenSize();
        selfAttn = child("self_attn", new CLIPAttention(c));
        layerNorm1 = child("layer_norm1", new LayerNorm(h, c.layerNormEps()));
        // Mlp takes one init std; HF draws fc1 with (2h)^-0.5 (fc2 slightly smaller).
        float fcStd = (float) (Math.pow(2.0 * h, -0.5) * c.initializerFactor());
        mlp = child("mlp", new Mlp(h, c.intermediateSize(), c.hiddenAct(), fcStd));
        layerNorm2 = child("layer_norm2", new LayerNorm(h, c.layerNormEps()));
    }

    /** Runs the layer on {@code x} [B, L, C] with the additive attention {@code mask}. */
    NDArray run(ParameterStore ps, NDArray x, NDArray mask, boolean training) {
        NDArray h =
                selfAttn.run(ps, call(layerNorm1, ps, x, training), mask, training)
                        .context()
                        .add(x);
        return call(mlp, ps, call(layerNorm2, ps, h, training), training).add(h);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(run(ps, inputs.singletonOrThrow(), null, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
