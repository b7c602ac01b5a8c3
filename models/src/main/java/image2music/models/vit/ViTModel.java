package image2music.models.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import image2music.models.nn.HfBlock;
import image2music.models.nn.LayerNorm;
import image2music.models.nn.ModuleList;
import java.util.ArrayList;
import java.util.List;

/**
 * HF {@code ViTModel}: {@code embeddings}, {@code encoder.layer.N}, final {@code layernorm} and,
 * optionally, {@code pooler.dense} (tanh on the CLS token; google/vit-base-patch16-224-in21k has
 * one, the backbone inside {@link ViTForImageClassification} does not).
 */
public final class ViTModel extends HfBlock {

    private final ViTConfig config;
    private final ViTEmbeddings embeddings;
    private final Encoder encoder;
    private final LayerNorm layernorm;
    private final ViTLayer.Dense pooler;

    /** A ViT backbone for {@code config}, with {@code pooler.dense} when {@code withPooler}. */
    public ViTModel(ViTConfig config, boolean withPooler) {
        this.config = config;
        embeddings = child("embeddings", new ViTEmbeddings(config));
        encoder = child("encoder", new Encoder(config));
        layernorm = child("layernorm", new LayerNorm(config.hiddenSize(), config.layerNormEps()));
        pooler =
                withPooler
                        ? child(
                                "pooler",
                                new ViTLayer.Dense(
                                        config.hiddenSize(),
                                        config.hiddenSize(),
                                        config.initializerRange()))
                        : null;
    }

    /** The configuration. */
    public ViTConfig config() {
        return config;
    }

    /** Runs the backbone on normalised {@code pixels} [B, C, H, W]. */
    public ViTOutput run(
            ParameterStore ps,
            NDArray pixels,
            boolean training,
            boolean keepHiddenStates,
            boolean keepAttentions) {
        NDArray x = call(embeddings, ps, stepInput(ps, pixels), training);
        List<NDArray> hidden = new ArrayList<>();
        List<NDArray> attentions = new ArrayList<>();
        if (keepHiddenStates) {
            hidden.add(x);
        }
        for (ViTLayer layer : encoder.layer.items()) {
            ViTLayer.Output o = layer.run(ps, x, training);
            x = o.hidden();
            if (keepHiddenStates) {
                hidden.add(x);
            }
            if (keepAttentions) {
                attentions.add(o.attentionProbs());
            }
        }
        NDArray sequence = call(layernorm, ps, x, training);
        NDArray pooled =
                pooler == null
                        ? null
                        : call(pooler, ps, sequence.get(new NDIndex(":, 0, :")), training).tanh();
        return new ViTOutput(null, sequence, pooled, hidden, attentions);
    }

    /** Input: pixels; output: the sequence output, plus the pooled output with a pooler. */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        ViTOutput o = run(ps, inputs.singletonOrThrow(), training, false, false);
        return o.pooled() == null
                ? new NDList(o.sequenceOutput())
                : new NDList(o.sequenceOutput(), o.pooled());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape seq = new Shape(inputShapes[0].get(0), config.sequenceLength(), config.hiddenSize());
        return pooler == null
                ? new Shape[] {seq}
                : new Shape[] {seq, new Shape(inputShapes[0].get(0), config.hiddenSize())};
    }

    /** HF {@code ViTEncoder}: its only child is the {@code layer} list. */
    static final class Encoder extends HfBlock {

        private final ModuleList<ViTLayer> layer;

        Encoder(ViTConfig c) {
            layer = child("layer", new ModuleList<>());
            for (int i = 0; i < c.numHiddenLayers(); i++) {
                layer.add(new ViTLayer(c));
            }
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
            return layer.forward(ps, inputs, training);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }
    }
}
