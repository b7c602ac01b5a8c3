package image2music.models.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import image2music.models.nn.Activations;
import image2music.models.nn.HfBlock;
import image2music.models.nn.LayerNorm;
import image2music.models.nn.Linear;
import image2music.models.nn.MultiHeadAttention;
import java.util.function.UnaryOperator;

/**
 * HF {@code ViTLayer}, pre-norm: x + attention(layernorm_before(x)), then y + output(
 * intermediate(layernorm_after(y))). Child names and order follow HF: {@code attention}, {@code
 * intermediate}, {@code output}, {@code layernorm_before}, {@code layernorm_after}.
 */
public final class ViTLayer extends HfBlock {

    /** One layer's output and its attention probabilities [B, heads, L, L]. */
    record Output(NDArray hidden, NDArray attentionProbs) {}

    private final ViTConfig config;
    private final Attention attention;
    private final Dense intermediate;
    private final Dense output;
    private final LayerNorm layernormBefore;
    private final LayerNorm layernormAfter;
    private final UnaryOperator<NDArray> activation;

    ViTLayer(ViTConfig c) {
        this.config = c;
        float std = c.initializerRange();
        attention = child("attention", new Attention(c));
        intermediate = child("intermediate", new Dense(c.hiddenSize(), c.intermediateSize(), std));
        output = child("output", new Dense(c.intermediateSize(), c.hiddenSize(), std));
        layernormBefore =
                child("layernorm_before", new LayerNorm(c.hiddenSize(), c.layerNormEps()));
        layernormAfter = child("layernorm_after", new LayerNorm(c.hiddenSize(), c.layerNormEps()));
        activation = Activations.byName(c.hiddenAct());
    }

    /** Runs the layer, keeping the attention probabilities. */
    Output run(ParameterStore ps, NDArray x, boolean training) {
        NDArray normed = call(layernormBefore, ps, x, training);
        MultiHeadAttention.Result a = attention.run(ps, normed, training);
        NDArray h = a.context().add(x);
        NDArray inner =
                activation.apply(
                        call(intermediate, ps, call(layernormAfter, ps, h, training), training));
        NDArray out =
                dropout(call(output, ps, inner, training), config.hiddenDropoutProb(), training)
                        .add(h);
        return new Output(out, a.probabilities());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(run(ps, inputs.singletonOrThrow(), training).hidden());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    static NDArray dropout(NDArray x, float rate, boolean training) {
        return training && rate > 0
                ? ai.djl.nn.norm.Dropout.dropout(x, rate, true).singletonOrThrow()
                : x;
    }

    /** HF {@code ViTAttention}: {@code attention} (query/key/value) and {@code output.dense}. */
    static final class Attention extends HfBlock {

        private final ViTConfig config;
        private final SelfAttention attention;
        private final Dense output;

        Attention(ViTConfig c) {
            this.config = c;
            attention = child("attention", new SelfAttention(c));
            output =
                    child(
                            "output",
                            new Dense(c.hiddenSize(), c.hiddenSize(), c.initializerRange()));
        }

        MultiHeadAttention.Result run(ParameterStore ps, NDArray x, boolean training) {
            MultiHeadAttention.Result r = attention.run(ps, x, training);
            NDArray projected = call(output, ps, r.context(), training);
            return new MultiHeadAttention.Result(
                    dropout(projected, config.hiddenDropoutProb(), training), r.probabilities());
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
            return new NDList(run(ps, inputs.singletonOrThrow(), training).context());
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }
    }

    /** HF {@code ViTSelfAttention}: {@code query}, {@code key}, {@code value} projections. */
    static final class SelfAttention extends HfBlock {

        private final ViTConfig config;
        private final Linear query;
        private final Linear key;
        private final Linear value;

        SelfAttention(ViTConfig c) {
            this.config = c;
            int h = c.hiddenSize();
            query = child("query", new Linear(h, h, c.qkvBias(), c.initializerRange()));
            key = child("key", new Linear(h, h, c.qkvBias(), c.initializerRange()));
            value = child("value", new Linear(h, h, c.qkvBias(), c.initializerRange()));
        }

        MultiHeadAttention.Result run(ParameterStore ps, NDArray x, boolean training) {
            return MultiHeadAttention.attend(
                    call(query, ps, x, training),
                    call(key, ps, x, training),
                    call(value, ps, x, training),
                    config.numAttentionHeads(),
                    null,
                    config.attentionProbsDropoutProb(),
                    training);
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
            return new NDList(run(ps, inputs.singletonOrThrow(), training).context());
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }
    }

    /**
     * An HF module whose only parameterised child is a Linear named {@code dense} ({@code
     * ViTSelfOutput}, {@code ViTIntermediate}, {@code ViTOutput}, {@code ViTPooler}); the
     * activation, dropout and residual around it are applied by the owner.
     */
    static final class Dense extends HfBlock {

        private final Linear dense;

        Dense(int in, int out, float std) {
            dense = child("dense", new Linear(in, out, true, std));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
            return dense.forward(ps, inputs, training);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return dense.getOutputShapes(inputShapes);
        }
    }
}
