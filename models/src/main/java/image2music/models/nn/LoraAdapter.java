package image2music.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.UniformInitializer;

/**
 * A low-rank update of a {@link Linear} (Hu et al. 2021): {@code y = W x + b + scale · B A x} with
 * {@code A} ({@code lora_A}, "down") of shape [rank, in] and {@code B} ({@code lora_B}, "up") of
 * shape [out, rank]. As peft initialises it, {@code A} is Kaiming-uniform and {@code B} zero, so a
 * fresh adapter leaves the layer's output exactly as it was.
 *
 * <p>The adapter's parameters are not children of the layer: a model's state dict (and so its saved
 * weights) never contains them, and the base weights load and save unchanged.
 */
public final class LoraAdapter {

    private final Parameter down;
    private final Parameter up;
    private final int rank;
    private final float scale;

    private LoraAdapter(Parameter down, Parameter up, int rank, float scale) {
        this.down = down;
        this.up = up;
        this.rank = rank;
        this.scale = scale;
    }

    /**
     * A fresh adapter for {@code layer}: {@code scale = alpha / rank}, as peft's {@code
     * lora_alpha}.
     */
    public static LoraAdapter fresh(Linear layer, int rank, float alpha, NDManager manager) {
        if (rank <= 0 || rank > Math.min(layer.in(), layer.out())) {
            throw new IllegalArgumentException(
                    "LoRA rank "
                            + rank
                            + " must be in [1, "
                            + Math.min(layer.in(), layer.out())
                            + "] for a "
                            + layer.in()
                            + " -> "
                            + layer.out()
                            + " layer");
        }
        // peft: kaiming_uniform_(a=√5) = U(−1/√in, 1/√in); B starts at zero.
        Parameter down =
                parameter(
                        "lora_A",
                        new Shape(rank, layer.in()),
                        new UniformInitializer((float) (1 / Math.sqrt(layer.in()))));
        Parameter up = parameter("lora_B", new Shape(layer.out(), rank), Initializer.ZEROS);
        down.initialize(manager, DataType.FLOAT32);
        up.initialize(manager, DataType.FLOAT32);
        return new LoraAdapter(down, up, rank, alpha / rank);
    }

    /**
     * An adapter with the given weights (copied into {@code manager}), {@code down} [rank, in] and
     * {@code up} [out, rank], applied at {@code scale}.
     */
    public static LoraAdapter of(
            Linear layer, NDArray down, NDArray up, float scale, NDManager manager) {
        Shape d = down.getShape();
        Shape u = up.getShape();
        if (d.dimension() != 2
                || u.dimension() != 2
                || d.get(1) != layer.in()
                || u.get(0) != layer.out()
                || u.get(1) != d.get(0)) {
            throw new IllegalArgumentException(
                    "LoRA down "
                            + d
                            + " and up "
                            + u
                            + " do not fit a "
                            + layer.in()
                            + " -> "
                            + layer.out()
                            + " layer");
        }
        Parameter pd = parameter("lora_A", d, Initializer.ZEROS);
        Parameter pu = parameter("lora_B", u, Initializer.ZEROS);
        StateDict.assign(pd, down, manager, DataType.FLOAT32);
        StateDict.assign(pu, up, manager, DataType.FLOAT32);
        return new LoraAdapter(pd, pu, (int) d.get(0), scale);
    }

    private static Parameter parameter(String name, Shape shape, Initializer init) {
        Parameter p =
                Parameter.builder()
                        .setName(name)
                        .setType(Parameter.Type.WEIGHT)
                        .optShape(shape)
                        .build();
        p.setInitializer(init);
        return p;
    }

    /** {@code lora_A} / "down", [rank, in]: trainable. */
    public Parameter down() {
        return down;
    }

    /** {@code lora_B} / "up", [out, rank]: trainable. */
    public Parameter up() {
        return up;
    }

    public int rank() {
        return rank;
    }

    public float scale() {
        return scale;
    }

    /** {@code scale · B A x} for {@code x} [..., in]. */
    NDArray delta(ParameterStore ps, NDArray x, boolean training) {
        NDArray a = ps.getValue(down, x.getDevice(), training);
        NDArray b = ps.getValue(up, x.getDevice(), training);
        NDArray h = ai.djl.nn.core.Linear.linear(x, a, null).singletonOrThrow();
        return Tensors.mul(ai.djl.nn.core.Linear.linear(h, b, null).singletonOrThrow(), scale);
    }

    /** {@code scale · B A}, the update this adapter makes to the layer's weight [out, in]. */
    public NDArray weightDelta() {
        return up.getArray().matMul(down.getArray()).mul(scale);
    }

    /** Frees the adapter's weights. */
    public void close() {
        down.close();
        up.close();
    }
}
