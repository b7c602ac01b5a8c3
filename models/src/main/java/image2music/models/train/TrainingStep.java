package image2music.models.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import image2music.models.nn.Engines;
import image2music.models.nn.GradientCheckpoints;
import image2music.models.nn.Tensors;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * One optimiser step, the single place where training touches autograd: clear the gradients,
 * forward + loss + backward inside a {@link GradientCollector}, optional global-norm clipping, an
 * AdamW update. {@link TrainingLoop} runs it for every batch; the benchmarks time it alone.
 */
public final class TrainingStep {

    /**
     * Computes a batch's scalar loss with the model in training mode, its arrays in {@code step}; a
     * model that checkpoints its gradients runs its segments through {@code checkpoints}, others
     * ignore it.
     */
    @FunctionalInterface
    public interface Loss {
        NDArray compute(NDManager step, GradientCheckpoints checkpoints) throws IOException;
    }

    /**
     * The loss of the step, the gradients' global norm before clipping (NaN unclipped) and whether
     * the update was skipped because scaled gradients overflowed.
     */
    public record Result(double loss, double gradNorm, boolean skipped) {}

    private TrainingStep() {}

    /**
     * Runs one step on one batch. Call it inside a sub-manager of the parameters' manager ({@code
     * step}) and close that afterwards, or arrays derived from the parameters leak (see design.md).
     *
     * @param maxGradNorm the global norm to clip to, or 0 for no clipping
     */
    public static Result run(
            Map<String, Parameter> params,
            AdamW optimizer,
            float lr,
            double maxGradNorm,
            NDManager step,
            Loss loss)
            throws IOException {
        return run(params, optimizer, lr, maxGradNorm, step, List.of(loss));
    }

    /**
     * Runs one step over micro-batches (gradient accumulation): each micro-batch's loss, divided by
     * their count, is back-propagated in its own sub-manager of {@code step} (freed before the
     * next, so memory is that of one micro-batch), the gradients add up, then one update. The
     * reported loss is the micro-batches' mean.
     */
    public static Result run(
            Map<String, Parameter> params,
            AdamW optimizer,
            float lr,
            double maxGradNorm,
            NDManager step,
            List<Loss> microBatches)
            throws IOException {
        return run(params, optimizer, lr, maxGradNorm, step, microBatches, 1);
    }

    /**
     * {@link #run(Map, AdamW, float, double, NDManager, List)} with the loss multiplied by {@code
     * lossScale} for the backward pass (float16 training, {@link LossScale}): the gradients are
     * divided by it again before clipping, and a step whose gradients are not all finite leaves the
     * weights and the optimiser as they were.
     */
    public static Result run(
            Map<String, Parameter> params,
            AdamW optimizer,
            float lr,
            double maxGradNorm,
            NDManager step,
            List<Loss> microBatches,
            double lossScale)
            throws IOException {
        Gradients.zero(params, step);
        int n = microBatches.size();
        double total = 0;
        for (Loss loss : microBatches) {
            try (NDManager micro = step.newSubManager();
                    GradientCollector gc = Engines.engine().newGradientCollector();
                    GradientCheckpoints tape = new GradientCheckpoints(micro)) {
                NDArray l = loss.compute(micro, tape);
                NDArray scaled =
                        lossScale != 1
                                ? Tensors.mul(l, lossScale / n)
                                : n == 1 ? l : Tensors.div(l, n);
                tape.backward(scaled, gc);
                total += l.getFloat();
            }
        }
        if (lossScale != 1 && !Gradients.unscale(params, lossScale, step)) {
            return new Result(total / n, Double.NaN, true);
        }
        double norm =
                maxGradNorm > 0 ? Gradients.clipGlobalNorm(params, maxGradNorm, step) : Double.NaN;
        optimizer.update(params, lr);
        return new Result(total / n, norm, false);
    }
}
