package image2music.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * diffusers' {@code GEGLU}: {@code proj} maps to twice the inner size; the first half is the value,
 * the second the gate, and the result is value · gelu(gate) (exact, erf).
 */
public final class GEGLU extends HfBlock {

    private final Linear proj;
    private final long inner;

    /** A GEGLU {@code dim -> inner}. */
    public GEGLU(long dim, long inner, float initStd) {
        this.inner = inner;
        proj = child("proj", new Linear(dim, 2 * inner, true, initStd));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray h = call(proj, ps, inputs.singletonOrThrow(), training);
        NDList halves = h.split(2, h.getShape().dimension() - 1);
        return new NDList(halves.get(0).mul(Activation.gelu(halves.get(1))));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {s.slice(0, s.dimension() - 1).add(inner)};
    }
}
