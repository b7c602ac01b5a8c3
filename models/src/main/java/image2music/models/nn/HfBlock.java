package image2music.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * Base of our blocks: children and parameters are registered under their HF state-dict names (e.g.
 * {@code "attention"}, {@code "weight"}) so that {@link StateDict} can rebuild HF keys, and every
 * parameter has its shape from construction (no shape inference on first forward).
 */
public abstract class HfBlock extends AbstractBlock {

    protected static final byte VERSION = 1;

    protected HfBlock() {
        super(VERSION);
    }

    /**
     * Gives every parameter without a value one from its own initializer; input shapes are not
     * needed because all our parameters know their shapes.
     */
    @Override
    public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
        StateDict.initialize(this, manager, dataType);
    }

    /** Registers child {@code block} under the HF attribute name {@code name}. */
    protected final <B extends Block> B child(String name, B block) {
        return addChildBlock(name, block);
    }

    /** Registers a trainable parameter named {@code name} (an HF key segment) of {@code shape}. */
    protected final Parameter param(String name, Parameter.Type type, Shape shape) {
        return addParameter(
                Parameter.builder().setName(name).setType(type).optShape(shape).build());
    }

    /** Runs single-input, single-output {@code block} on {@code x}. */
    protected static NDArray call(Block block, ParameterStore ps, NDArray x, boolean training) {
        return block.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    /**
     * Moves {@code a}, a fresh result of an operation whose first operand was a parameter (and so
     * was created in the parameters' manager), into the step's manager {@code ps.getManager()} so
     * that it is freed with the step instead of living as long as the model.
     */
    protected static NDArray intoStep(ParameterStore ps, NDArray a) {
        a.attach(ps.getManager());
        return a;
    }

    /**
     * A copy of the model input {@code x} owned by the step's manager: every result derived from it
     * (operations create their result in their first operand's manager) is then freed when the
     * step's manager closes, however long the caller keeps {@code x}.
     */
    protected static NDArray stepInput(ParameterStore ps, NDArray x) {
        if (x.getManager() == ps.getManager()) {
            return x;
        }
        NDArray copy = x.toDevice(x.getDevice(), true);
        copy.attach(ps.getManager());
        return copy;
    }

    /** The value of {@code p} on the device of {@code like}. */
    protected static NDArray value(ParameterStore ps, Parameter p, NDArray like, boolean training) {
        return ps.getValue(p, like.getDevice(), training);
    }
}
