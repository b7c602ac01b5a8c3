package image2music.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import java.util.function.UnaryOperator;

/** The activation functions HF configs name in {@code hidden_act}. */
public final class Activations {

    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

    private Activations() {}

    /**
     * The function HF means by {@code name}: {@code gelu} (exact, erf), {@code gelu_new} / {@code
     * gelu_pytorch_tanh} (tanh approximation), {@code quick_gelu}, {@code relu}, {@code silu} /
     * {@code swish}.
     */
    public static UnaryOperator<NDArray> byName(String name) {
        return switch (name) {
            case "gelu" -> Activation::gelu;
            case "gelu_new", "gelu_pytorch_tanh" -> Activations::geluTanh;
            case "quick_gelu" -> x -> x.mul(Activation.sigmoid(Tensors.mul(x, 1.702)));
            case "relu" -> Activation::relu;
            case "silu", "swish" -> FusedOps::silu;
            default ->
                    throw new IllegalArgumentException(
                            "Unknown activation '"
                                    + name
                                    + "' (known: gelu, gelu_new, gelu_pytorch_tanh, quick_gelu, relu, silu)");
        };
    }

    private static NDArray geluTanh(NDArray x) {
        NDArray inner =
                Tensors.mul(x.add(Tensors.mul(Tensors.pow(x, 3), 0.044715)), SQRT_2_OVER_PI);
        return Tensors.mul(x, 0.5).mul(inner.tanh().add(1f));
    }
}
