package image2music.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * {@code torch.nn.LayerNorm} over the last axis, parameters {@code weight} (ones), {@code bias}.
 */
public final class LayerNorm extends HfBlock {

    private final long size;
    private final float eps;
    private final Parameter weight;
    private final Parameter bias;

    /** A layer norm over a last axis of {@code size} with epsilon {@code eps}. */
    public LayerNorm(long size, float eps) {
        this.size = size;
        this.eps = eps;
        weight = param("weight", Parameter.Type.GAMMA, new Shape(size));
        weight.setInitializer(Initializer.ONES);
        bias = param("bias", Parameter.Type.BETA, new Shape(size));
        bias.setInitializer(Initializer.ZEROS);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        return ai.djl.nn.norm.LayerNorm.layerNorm(
                x,
                new Shape(size),
                value(ps, weight, x, training),
                value(ps, bias, x, training),
                eps);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
