package image2music.models.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import image2music.models.nn.HfBlock;
import image2music.models.nn.LayerNorm;
import image2music.models.nn.ModuleList;
import image2music.models.nn.Tensors;
import java.util.ArrayList;
import java.util.List;

/**
 * HF {@code CLIPTextTransformer}: {@code embeddings}, {@code encoder.layers.N} under a causal mask,
 * {@code final_layer_norm}, and the pooled output at each row's end-of-text token.
 */
final class CLIPTextTransformer extends HfBlock {

    private final CLIPTextConfig config;
    private final CLIPTextEmbeddings embeddings;
    private final Encoder encoder;
    private final LayerNorm finalLayerNorm;

    CLIPTextTransformer(CLIPTextConfig c) {
        this.config = c;
        embeddings = child("embeddings", new CLIPTextEmbeddings(c));
        encoder = child("encoder", new Encoder(c));
        finalLayerNorm = child("final_layer_norm", new LayerNorm(c.hiddenSize(), c.layerNormEps()));
    }

    /** Encodes {@code inputIds} [B, L] (integer ids, L ≤ max_position_embeddings). */
    public CLIPTextOutput run(
            ParameterStore ps, NDArray inputIds, boolean training, boolean keepHiddenStates) {
        NDArray ids = stepInput(ps, inputIds);
        if (ids.getDataType() != DataType.INT64) {
            ids = ids.toType(DataType.INT64, false);
        }
        if (ids.getShape().dimension() != 2) {
            throw new IllegalArgumentException(
                    "Expected input ids [batch, length], got " + ids.getShape());
        }
        long[] flat = ids.toLongArray();
        for (long id : flat) {
            if (id < 0 || id >= config.vocabSize()) {
                throw new IllegalArgumentException(
                        "Input id " + id + " is outside the vocabulary of " + config.vocabSize());
            }
        }
        NDArray x = call(embeddings, ps, ids, training);
        List<NDArray> hidden = new ArrayList<>();
        if (keepHiddenStates) {
            hidden.add(x);
        }
        NDArray mask =
                causalMask(ids.getManager(), ids.getShape().get(1)).toDevice(x.getDevice(), false);
        for (CLIPEncoderLayer layer : encoder.layers.items()) {
            x = layer.run(ps, x, mask, training);
            if (keepHiddenStates) {
                hidden.add(x);
            }
        }
        NDArray last = call(finalLayerNorm, ps, x, training);
        return new CLIPTextOutput(last, pool(last, ids, flat), hidden);
    }

    /** [1, 1, L, L]: 0 where a position may attend (itself and earlier), float min elsewhere. */
    private static NDArray causalMask(NDManager m, long length) {
        int l = (int) length;
        float[] mask = new float[l * l];
        for (int i = 0; i < l; i++) {
            for (int j = i + 1; j < l; j++) {
                // HF's finfo(float32).min rather than -inf: a fully masked row stays finite.
                mask[i * l + j] = -Float.MAX_VALUE;
            }
        }
        return Tensors.of(m, mask, new Shape(1, 1, l, l));
    }

    /**
     * Each row's hidden state at its end-of-text position: with eos_token_id 2 (openai's and SD's
     * configs) the first position of the highest id, else the first eos_token_id (position 0 when
     * absent), as transformers chooses.
     */
    private NDArray pool(NDArray last, NDArray ids, long[] flat) {
        int b = (int) ids.getShape().get(0);
        int l = (int) ids.getShape().get(1);
        float[] oneHot = new float[b * l];
        for (int r = 0; r < b; r++) {
            int at = 0;
            if (config.eosTokenId() == CLIPTextConfig.LEGACY_EOS_TOKEN_ID) {
                for (int i = 1; i < l; i++) {
                    if (flat[r * l + i] > flat[r * l + at]) {
                        at = i;
                    }
                }
            } else {
                for (int i = 0; i < l; i++) {
                    if (flat[r * l + i] == config.eosTokenId()) {
                        at = i;
                        break;
                    }
                }
            }
            oneHot[r * l + at] = 1f;
        }
        // A one-hot product picks the rows exactly and keeps the gather differentiable.
        NDArray select =
                Tensors.of(ids.getManager(), oneHot, new Shape(b, 1, l))
                        .toDevice(last.getDevice(), false)
                        .toType(last.getDataType(), false);
        return select.matMul(last).squeeze(1);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        CLIPTextOutput o = run(ps, inputs.singletonOrThrow(), training, false);
        return new NDList(o.lastHiddenState(), o.pooledOutput());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape ids = inputShapes[0];
        return new Shape[] {
            ids.add(config.hiddenSize()), new Shape(ids.get(0), config.hiddenSize())
        };
    }

    /** HF {@code CLIPEncoder}: its only child is the {@code layers} list. */
    static final class Encoder extends HfBlock {

        private final ModuleList<CLIPEncoderLayer> layers;

        Encoder(CLIPTextConfig c) {
            layers = child("layers", new ModuleList<>());
            for (int i = 0; i < c.numHiddenLayers(); i++) {
                layers.add(new CLIPEncoderLayer(c));
            }
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
            return layers.forward(ps, inputs, training);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }
    }
}
