package image2music.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * Mixed precision for this thread, PyTorch's {@code torch.autocast} for our layers: while a scope
 * is open, {@link Linear}, {@link Conv2d} and the attention products compute in half precision from
 * float32 inputs and weights and hand float32 on, so norms, softmax, losses and the weights (the
 * optimiser's master copy) stay float32.
 *
 * <p>DJL's {@code toType} runs under libtorch's no-grad guard, so a cast made with it cuts the
 * graph and training would never reach the weights; {@link #cast} copies into a new array of the
 * target type instead, which autograd records like any copy. bfloat16 is out of reach: DJL maps no
 * such type.
 */
public final class Autocast implements AutoCloseable {

    private static final ThreadLocal<DataType> TYPE = new ThreadLocal<>();

    private final DataType previous;

    private Autocast(DataType type) {
        previous = TYPE.get();
        TYPE.set(type);
    }

    /**
     * Opens a scope computing in {@code type} ({@link DataType#FLOAT16}), or in float32 when {@code
     * type} is null; closing it restores the enclosing scope's type.
     */
    public static Autocast enable(DataType type) {
        if (type != null && type != DataType.FLOAT16) {
            throw new IllegalArgumentException("autocast computes in float16 only, not " + type);
        }
        return new Autocast(type);
    }

    /** The type layers compute in now, or null for float32. */
    public static DataType type() {
        return TYPE.get();
    }

    /** {@code x} in the scope's compute type (as it is when no scope is open). */
    public static NDArray lower(NDArray x) {
        DataType t = TYPE.get();
        return t == null || x == null ? x : cast(x, t);
    }

    /** {@code x} back in float32 when a scope lowered it. */
    public static NDArray raise(NDArray x) {
        return TYPE.get() == null ? x : cast(x, DataType.FLOAT32);
    }

    /** {@code x} as {@code type}, through a copy that gradients flow back through. */
    public static NDArray cast(NDArray x, DataType type) {
        if (x.getDataType() == type) {
            return x;
        }
        NDArray y = x.getManager().zeros(x.getShape(), type, x.getDevice());
        y.set(new NDIndex("..."), x);
        return y;
    }

    @Override
    public void close() {
        TYPE.set(previous);
    }
}
