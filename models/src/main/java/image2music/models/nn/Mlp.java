package image2music.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.function.UnaryOperator;

/**
 * A two-layer feed-forward block, {@code fc2(act(fc1(x)))}, with HF's CLIP names {@code fc1} and
 * {@code fc2} (ViT splits the same computation across its {@code intermediate} and {@code output}
 * modules and so builds it from two {@link Linear}s itself).
 */
public final class Mlp extends HfBlock {

    private final Linear fc1;
    private final Linear fc2;
    private final UnaryOperator<NDArray> activation;
    private final long hidden;

    /** An MLP {@code hidden -> intermediate -> hidden} with HF activation {@code act}. */
    public Mlp(long hidden, long intermediate, String act, float initStd) {
        this.hidden = hidden;
        this.activation = Activations.byName(act);
        fc1 = child("fc1", new Linear(hidden, intermediate, true, initStd));
        fc2 = child("fc2", new Linear(intermediate, hidden, true, initStd));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray h = activation.apply(call(fc1, ps, inputs.singletonOrThrow(), training));
        return new NDList(call(fc2, ps, h, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {s.slice(0, s.dimension() - 1).add(hidden)};
    }
}
