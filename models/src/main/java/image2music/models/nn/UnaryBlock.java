package image2music.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A block with one input and one output, run directly through {@link #run}; DJL's {@code forward}
 * is routed there. Output shapes are not inferred unless a subclass says how.
 */
public abstract class UnaryBlock extends HfBlock {

    /** The block on {@code x}. */
    public abstract NDArray run(ParameterStore ps, NDArray x, boolean training);

    @Override
    protected final NDList forwardInternal(
            ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
        return new NDList(run(ps, in.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        throw new UnsupportedOperationException("runs through run()");
    }
}
