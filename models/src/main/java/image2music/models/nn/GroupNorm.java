package image2music.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * {@code torch.nn.GroupNorm} on [N, C, ...] input with a per-channel affine ({@code weight} ones,
 * {@code bias} zeros). DJL 0.33 has no group-norm op: libtorch's own kernel runs through {@link
 * FusedOps} when available; else the input is viewed as [N, G, rest] and normalised with the
 * layer-norm op over the last axis, then scaled per channel.
 */
public final class GroupNorm extends HfBlock {

    private final int groups;
    private final long channels;
    private final float eps;
    private final Parameter weight;
    private final Parameter bias;

    /** A group norm of {@code channels} in {@code groups} groups with epsilon {@code eps}. */
    public GroupNorm(int groups, long channels, float eps) {
        if (groups <= 0 || channels % groups != 0) {
            throw new IllegalArgumentException(
                    "GroupNorm: " + channels + " channels do not split into " + groups + " groups");
        }
        this.groups = groups;
        this.channels = channels;
        this.eps = eps;
        weight = param("weight", Parameter.Type.GAMMA, new Shape(channels));
        weight.setInitializer(Initializer.ONES);
        bias = param("bias", Parameter.Type.BETA, new Shape(channels));
        bias.setInitializer(Initializer.ZEROS);
    }

    /**
     * silu(this(x)), the pair every resnet runs, in one fused call when {@link
     * FusedOps#available()} (see {@link FusedOps#groupNormSilu}).
     */
    public NDArray forwardSilu(ParameterStore ps, NDArray x, boolean training) {
        if (!FusedOps.available()) {
            return FusedOps.silu(forward(ps, new NDList(x), training).singletonOrThrow());
        }
        checkInput(x.getShape());
        return FusedOps.groupNormSilu(
                x, value(ps, weight, x, training), value(ps, bias, x, training), groups, eps);
    }

    private void checkInput(Shape shape) {
        if (shape.dimension() < 2 || shape.get(1) != channels) {
            throw new IllegalArgumentException(
                    "GroupNorm expects [N, " + channels + ", ...], got " + shape);
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape shape = x.getShape();
        checkInput(shape);
        if (FusedOps.available()) {
            return new NDList(
                    FusedOps.groupNorm(
                            x,
                            value(ps, weight, x, training),
                            value(ps, bias, x, training),
                            groups,
                            eps));
        }
        long n = shape.get(0);
        long rest = shape.size() / (n * groups);
        NDArray grouped = x.reshape(n, groups, rest);
        try (NDArray ones = x.getManager().ones(new Shape(rest), x.getDataType());
                NDArray zeros = x.getManager().zeros(new Shape(rest), x.getDataType())) {
            NDArray normed =
                    ai.djl.nn.norm.LayerNorm.layerNorm(grouped, new Shape(rest), ones, zeros, eps)
                            .singletonOrThrow()
                            .reshape(shape);
            long[] affine = new long[shape.dimension()];
            java.util.Arrays.fill(affine, 1);
            affine[1] = channels;
            Shape a = new Shape(affine);
            // Views of parameters are created in the parameters' manager: move them to the step's.
            NDArray w = intoStep(ps, value(ps, weight, x, training).reshape(a));
            NDArray b = intoStep(ps, value(ps, bias, x, training).reshape(a));
            return new NDList(normed.mul(w).add(b));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
