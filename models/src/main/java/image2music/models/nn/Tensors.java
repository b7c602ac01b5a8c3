package image2music.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;

/**
 * Tensors from Java values that stay valid for as long as libtorch needs them.
 *
 * <p>On the CPU, DJL's PyTorch engine wraps Java data in a tensor over a direct {@code ByteBuffer}
 * without copying, and only the Java array object keeps that buffer alive. Anything libtorch keeps
 * beyond the wrapper's life (a view of it, or a tensor autograd saved for the backward pass) then
 * reads memory the garbage collector has freed. The case that bites is arithmetic with a number:
 * {@code x.mul(0.5f)} wraps 0.5 this way and closes the wrapper as soon as the product is made, but
 * autograd kept it, since the gradient of x·c is c, so backward multiplies by whatever the freed
 * memory holds by then. Gradients went NaN now and then, more often under memory pressure. Code
 * that may run under a {@code GradientCollector} uses these helpers instead.
 */
public final class Tensors {

    private Tensors() {}

    /** {@code x · c}. */
    public static NDArray mul(NDArray x, double c) {
        try (NDArray s = scalar(x, c)) {
            return x.mul(s);
        }
    }

    /** {@code x / c}. */
    public static NDArray div(NDArray x, double c) {
        try (NDArray s = scalar(x, c)) {
            return x.div(s);
        }
    }

    /** {@code x ^ c}. */
    public static NDArray pow(NDArray x, double c) {
        try (NDArray s = scalar(x, c)) {
            return x.pow(s);
        }
    }

    /** {@code max(x, c)}, element-wise. */
    public static NDArray maximum(NDArray x, double c) {
        try (NDArray s = scalar(x, c)) {
            return x.maximum(s);
        }
    }

    /** {@code values} as a tensor of {@code shape} whose memory libtorch owns. */
    public static NDArray of(NDManager manager, float[] values, Shape shape) {
        return of(manager, FloatBuffer.wrap(values), shape, DataType.FLOAT32);
    }

    /** {@code values} as an INT32 tensor of {@code shape} whose memory libtorch owns. */
    public static NDArray of(NDManager manager, int[] values, Shape shape) {
        return of(manager, IntBuffer.wrap(values), shape, DataType.INT32);
    }

    /** {@code values} as an INT64 tensor of {@code shape} whose memory libtorch owns. */
    public static NDArray of(NDManager manager, long[] values, Shape shape) {
        return of(manager, LongBuffer.wrap(values), shape, DataType.INT64);
    }

    /**
     * {@code data} (native byte order when a {@code ByteBuffer}) as a tensor of {@code shape} and
     * {@code type} whose memory libtorch owns: the one way Java data should enter libtorch.
     */
    public static NDArray of(NDManager manager, Buffer data, Shape shape, DataType type) {
        NDArray owned;
        try (NDManager wrapping = manager.newSubManager()) {
            // duplicate() is a libtorch clone; toType/toDevice "copies" to the same type and
            // device would alias the wrapper.
            owned = wrapping.create(data, shape, type).duplicate();
            owned.attach(manager);
        }
        return owned;
    }

    /** A 0-d tensor of {@code like}'s type and device holding {@code c}, in libtorch's memory. */
    private static NDArray scalar(NDArray like, double c) {
        return like.getManager().full(new Shape(), (float) c, like.getDataType());
    }
}
