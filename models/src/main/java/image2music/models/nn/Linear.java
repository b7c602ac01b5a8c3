package image2music.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * {@code torch.nn.Linear}: y = x Wᵀ + b over the last axis, with HF's parameter names {@code
 * weight} [out, in] and {@code bias} [out]. Weights start N(0, std²), biases at zero (HF's {@code
 * _init_weights} for ViT and CLIP; truncation at ±2 is immaterial at std 0.02).
 */
public final class Linear extends HfBlock {

    private final long in;
    private final long out;
    private final Parameter weight;
    private final Parameter bias;
    private LoraAdapter lora;

    /** A linear layer {@code in -> out}, with a bias when {@code withBias}. */
    public Linear(long in, long out, boolean withBias, float initStd) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException(
                    "Linear sizes must be > 0, got " + in + " -> " + out);
        }
        this.in = in;
        this.out = out;
        weight = param("weight", Parameter.Type.WEIGHT, new Shape(out, in));
        weight.setInitializer(new NormalInitializer(initStd));
        bias = withBias ? param("bias", Parameter.Type.BIAS, new Shape(out)) : null;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = value(ps, weight, x, training);
        NDArray b = bias == null ? null : value(ps, bias, x, training);
        NDArray y =
                Autocast.raise(
                        ai.djl.nn.core.Linear.linear(
                                        Autocast.lower(x), Autocast.lower(w), Autocast.lower(b))
                                .singletonOrThrow());
        return new NDList(lora == null ? y : y.add(lora.delta(ps, x, training)));
    }

    /** Input width. */
    public long in() {
        return in;
    }

    /** Output width. */
    public long out() {
        return out;
    }

    /** The adapter this layer adds to its output, or null. */
    public LoraAdapter lora() {
        return lora;
    }

    /** Adds {@code adapter}'s update to every output from now on (null: none). */
    public void setLora(LoraAdapter adapter) {
        this.lora = adapter;
    }

    /**
     * Folds the adapter into the weight ({@code W += scale · B A}) and removes it: the outputs stay
     * the same up to rounding and a step costs what the plain layer costs.
     */
    public void mergeLora() {
        if (lora == null) {
            return;
        }
        NDArray w = weight.getArray();
        try (NDArray delta = lora.weightDelta()) {
            w.addi(delta);
        }
        lora = null;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        if (s.tail() != in) {
            throw new IllegalArgumentException("Linear expects last axis " + in + ", got " + s);
        }
        return new Shape[] {s.slice(0, s.dimension() - 1).add(out)};
    }
}
