package image2music.models.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code torch.nn.ModuleList}: children named {@code 0, 1, ...}, giving HF keys such as {@code
 * layer.3.output.dense.weight}. Like PyTorch's, it is a container only; the owner runs the children
 * (usually with extra per-layer outputs to collect).
 *
 * @param <B> the element type
 */
public final class ModuleList<B extends Block> extends HfBlock {

    private final List<B> items = new ArrayList<>();

    /** Appends {@code block} as element {@code size()}. */
    public B add(B block) {
        items.add(child(Integer.toString(items.size()), block));
        return block;
    }

    /** The elements in order. */
    public List<B> items() {
        return Collections.unmodifiableList(items);
    }

    /** Runs the elements one after another (each single-input, single-output). */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = inputs;
        for (B b : items) {
            x = b.forward(ps, x, training);
        }
        return x;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] s = inputShapes;
        for (B b : items) {
            s = b.getOutputShapes(s);
        }
        return s;
    }
}
