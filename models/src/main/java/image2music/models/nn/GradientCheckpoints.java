package image2music.models.nn;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Gradient checkpointing (diffusers' {@code enable_gradient_checkpointing}, PyTorch's {@code
 * torch.utils.checkpoint}) without a custom autograd function, which DJL does not offer: the tape
 * runs each segment of a model without recording, keeping only the arrays that cross segment
 * borders, and recomputes one segment at a time during the backward pass.
 *
 * <p>Every array a segment returns becomes a leaf that requires a gradient. The backward pass first
 * back-propagates the loss, which fills the gradients of the leaves it read; then, newest segment
 * first, recomputes a segment with recording on from its (leaf) inputs and back-propagates the sum
 * of its outputs times their gradients (a vector–Jacobian product), which adds to the parameters'
 * gradients and to its inputs' gradients; last, the arrays that entered the tape from the recorded
 * graph (a time embedding, text states) get their gradients the same way. Memory is the border
 * arrays plus one segment's activations, at the cost of a second forward pass of every segment.
 *
 * <p>Segments must be pure functions of their inputs and the parameters (no dropout: the recompute
 * must see what the first pass saw), and every operation between two segments must sit inside a
 * segment: an array computed from a segment's output outside any segment cannot be traced back. One
 * tape serves one backward pass.
 */
public final class GradientCheckpoints implements AutoCloseable {

    /**
     * One recorded segment: its function, its inputs as it saw them, its output leaves and the
     * {@link Autocast} type it ran under (the recompute must compute what the first pass did).
     */
    private record Segment(
            UnaryOperator<NDList> fn,
            NDList inputs,
            NDList outputs,
            DataType autocast,
            NDManager kept,
            NDList keptOutputs) {}

    private final NDManager manager;
    private final List<Segment> segments = new ArrayList<>();

    /** Arrays of the recorded graph that entered the tape → their detached stand-ins. */
    private final Map<NDArray, NDArray> entries = new IdentityHashMap<>();

    /** Output leaves of segments, so that passing one on is not mistaken for an entry. */
    private final Set<NDArray> leaves = Collections.newSetFromMap(new IdentityHashMap<>());

    private boolean used;

    /** A tape whose border arrays live in {@code manager} (close it, or the manager, after). */
    public GradientCheckpoints(NDManager manager) {
        this.manager = manager.newSubManager();
    }

    /**
     * Runs the one-output segment {@code fn} on {@code in} through {@code tape}, or directly when
     * {@code tape} is null (checkpointing off): the one call site a model needs for both.
     */
    public static NDArray apply1(
            GradientCheckpoints tape, UnaryOperator<NDList> fn, NDArray... in) {
        return (tape == null ? fn.apply(new NDList(in)) : tape.run(fn, in)).singletonOrThrow();
    }

    /**
     * {@link #apply1} for a part that is cheap to keep and costly to recompute (a resampler's
     * convolution): it runs once, recorded, and the backward pass reuses its graph. diffusers
     * checkpoints only resnets and transformer blocks; the rest keeps its activations.
     */
    public static NDArray keep1(GradientCheckpoints tape, UnaryOperator<NDList> fn, NDArray... in) {
        return (tape == null ? fn.apply(new NDList(in)) : tape.runKept(fn, in)).singletonOrThrow();
    }

    /**
     * Runs a segment with recording on and keeps its graph (and so its intermediate arrays) until
     * the backward pass, which back-propagates through it without recomputing; its outputs are
     * leaves that require gradients, as {@link #run}'s are.
     */
    public NDList runKept(UnaryOperator<NDList> fn, NDArray... inputs) {
        return segment(fn, inputs, true);
    }

    /**
     * Runs a segment without recording and returns its outputs as leaves that require gradients.
     * Each input is a leaf of this tape, an array of the recorded graph (it enters the tape), or a
     * constant.
     */
    public NDList run(UnaryOperator<NDList> fn, NDArray... inputs) {
        return segment(fn, inputs, false);
    }

    private NDList segment(UnaryOperator<NDList> fn, NDArray[] inputs, boolean keep) {
        if (used) {
            throw new IllegalStateException("this tape has already run its backward pass");
        }
        NDList in = new NDList(inputs.length);
        for (NDArray a : inputs) {
            in.add(standIn(a));
        }
        boolean recording = JniUtils.isGradMode();
        JniUtils.setGradMode(keep);
        NDManager m = manager.newSubManager();
        NDList out = new NDList();
        // A kept segment's scope lives until the backward pass; any other closes here.
        boolean held = false;
        try {
            NDList produced = inScope(m, fn, in);
            for (NDArray o : produced) {
                // Detached, so that even a view becomes a leaf that may require a gradient.
                NDArray leaf = o.stopGradient();
                leaf.attach(manager);
                leaf.setRequiresGradient(true);
                leaves.add(leaf);
                out.add(leaf);
            }
            segments.add(
                    new Segment(
                            fn, in, out, Autocast.type(), keep ? m : null, keep ? produced : null));
            held = keep;
        } finally {
            JniUtils.setGradMode(recording);
            if (!held) {
                m.close();
            }
        }
        return out;
    }

    /** Whether no segment ran through the tape, so a plain backward pass does. */
    public boolean isEmpty() {
        return segments.isEmpty();
    }

    /**
     * Back-propagates {@code loss} (a scalar, computed with recording on inside {@code gc}) through
     * the recorded graph and every segment; the gradients add to the parameters' as a plain {@code
     * gc.backward(loss)} would.
     */
    public void backward(NDArray loss, GradientCollector gc) {
        if (used) {
            throw new IllegalStateException("this tape has already run its backward pass");
        }
        used = true;
        if (segments.isEmpty()) {
            gc.backward(loss);
            return;
        }
        try (NDManager m = manager.newSubManager()) {
            // The loss's graph may share nodes with the graph the entries came from (both may
            // read the text states): keep it for the entries' pass.
            vjp(new NDList(loss), new NDList(m.ones(loss.getShape())), !entries.isEmpty());
        }
        for (int i = segments.size() - 1; i >= 0; i--) {
            Segment s = segments.get(i);
            NDList grads = new NDList(s.outputs().size());
            NDList recomputed = new NDList(s.outputs().size());
            try (NDManager m = s.kept() != null ? s.kept() : manager.newSubManager();
                    Autocast precision = Autocast.enable(s.autocast())) {
                NDList again = s.kept() != null ? s.keptOutputs() : inScope(m, s.fn(), s.inputs());
                for (int k = 0; k < again.size(); k++) {
                    NDArray g = gradientOf(s.outputs().get(k));
                    // An output that depends on nothing trained (a frozen block before the
                    // first adapter) passes nothing back.
                    if (g != null && recorded(again.get(k))) {
                        g.attach(m);
                        grads.add(g);
                        recomputed.add(again.get(k));
                    }
                }
                if (!recomputed.isEmpty()) {
                    vjp(recomputed, grads, false);
                }
            }
            // The border arrays this segment made are no longer needed by anyone.
            for (NDArray o : s.outputs()) {
                leaves.remove(o);
                o.close();
            }
        }
        NDList origins = new NDList();
        NDList grads = new NDList();
        try (NDManager m = manager.newSubManager()) {
            for (Map.Entry<NDArray, NDArray> e : entries.entrySet()) {
                NDArray g = gradientOf(e.getValue());
                if (g != null) {
                    g.attach(m);
                    origins.add(e.getKey());
                    grads.add(g);
                }
            }
            if (!origins.isEmpty()) {
                vjp(origins, grads, false);
            }
        }
    }

    /** Frees the border arrays. */
    @Override
    public void close() {
        manager.close();
    }

    /**
     * Back-propagates Σ⟨outputs[k], grads[k]⟩, which gives every leaf below exactly the gradient
     * the outputs' consumers passed down.
     */
    private static void vjp(NDList outputs, NDList grads, boolean keepGraph) {
        NDArray total = null;
        for (int k = 0; k < outputs.size(); k++) {
            NDArray term = outputs.get(k).mul(grads.get(k)).sum();
            total = total == null ? term : total.add(term);
        }
        NDManager m = total.getManager();
        JniUtils.backward(
                (PtNDArray) total, (PtNDArray) m.ones(total.getShape()), keepGraph, false);
    }

    /** The gradient a leaf received, or null when nothing read it. */
    private static NDArray gradientOf(NDArray leaf) {
        return JniUtils.getGradient((PtNDArray) leaf);
    }

    /** What a segment sees for {@code a}: a leaf as it is, a recorded array's detached stand-in. */
    private NDArray standIn(NDArray a) {
        if (leaves.contains(a) || !recorded(a)) {
            return a;
        }
        return entries.computeIfAbsent(
                a,
                x -> {
                    NDArray d = x.stopGradient();
                    d.attach(manager);
                    d.setRequiresGradient(true);
                    return d;
                });
    }

    /**
     * Whether {@code a} is part of the recorded graph: a leaf that requires a gradient or the
     * result of a recorded operation. DJL's {@code hasGradient} answers only the first; libtorch
     * refuses to change the requires-grad flag of a result only, which tells the second from a
     * constant (for which the call changes nothing).
     */
    private static boolean recorded(NDArray a) {
        if (a.hasGradient()) {
            return true;
        }
        try {
            JniUtils.attachGradient((PtNDArray) a, false);
            return false;
        } catch (EngineException e) {
            return true;
        }
    }

    /**
     * Runs {@code fn} with its inputs temporarily in {@code m}, where the arrays it computes from
     * them land (DJL puts a result in its first operand's manager).
     */
    private static NDList inScope(NDManager m, UnaryOperator<NDList> fn, NDList in) {
        for (NDArray a : in) {
            a.tempAttach(m);
        }
        NDList out = fn.apply(in);
        for (NDArray o : out) {
            for (NDArray a : in) {
                if (o == a) {
                    throw new IllegalArgumentException("a checkpointed segment returned its input");
                }
            }
        }
        return out;
    }
}
