package image2music.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * {@code torch.nn.Conv2d} on NCHW input with a square kernel: {@code weight} [out, in, k, k] and
 * {@code bias} [out], stride and zero padding the same on both axes.
 */
public final class Conv2d extends HfBlock {

    private final long in;
    private final long out;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final Parameter weight;
    private final Parameter bias;

    /** A convolution {@code in -> out} channels with the given geometry. */
    public Conv2d(long in, long out, int kernel, int stride, int padding, float initStd) {
        if (in <= 0 || out <= 0 || kernel <= 0 || stride <= 0 || padding < 0) {
            throw new IllegalArgumentException(
                    "Bad Conv2d geometry: in "
                            + in
                            + ", out "
                            + out
                            + ", kernel "
                            + kernel
                            + ", stride "
                            + stride
                            + ", padding "
                            + padding);
        }
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        weight = param("weight", Parameter.Type.WEIGHT, new Shape(out, in, kernel, kernel));
        weight.setInitializer(new NormalInitializer(initStd));
        bias = param("bias", Parameter.Type.BIAS, new Shape(out));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray y =
                ai.djl.nn.convolutional.Conv2d.conv2d(
                                Autocast.lower(x),
                                Autocast.lower(value(ps, weight, x, training)),
                                Autocast.lower(value(ps, bias, x, training)),
                                new Shape(stride, stride),
                                new Shape(padding, padding),
                                new Shape(1, 1),
                                1)
                        .singletonOrThrow();
        return new NDList(Autocast.raise(y));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        if (s.dimension() != 4 || s.get(1) != in) {
            throw new IllegalArgumentException("Conv2d expects [N, " + in + ", H, W], got " + s);
        }
        long h = (s.get(2) + 2L * padding - kernel) / stride + 1;
        long w = (s.get(3) + 2L * padding - kernel) / stride + 1;
        return new Shape[] {new Shape(s.get(0), out, h, w)};
    }
}
