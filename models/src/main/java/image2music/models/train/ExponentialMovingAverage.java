package image2music.models.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An exponential moving average of the weights, as diffusers' {@code EMAModel}: after each
 * optimiser update, {@code shadow = decay·shadow + (1 − decay)·param} with a decay that may warm
 * up. The shadow lives in our own tensors so a checkpoint can carry it ({@link #state()}).
 * Stateful: one instance per training run.
 */
public final class ExponentialMovingAverage {

    /** How the decay grows with the number of updates. */
    public enum Warmup {
        /** The maximum decay from the second update on. */
        NONE,
        /** {@code (1 + s) / (10 + s)}: diffusers' default. */
        STEP_RATIO,
        /** {@code 1 − (1 + s)^−2/3}: diffusers' {@code use_ema_warmup} with its default power. */
        POWER
    }

    private static final double POWER = 2.0 / 3.0;

    private final double maxDecay;
    private final Warmup warmup;
    private final NDManager manager;
    private final Map<String, NDArray> shadow = new LinkedHashMap<>();

    /** An average with decay at most {@code maxDecay}, its tensors in {@code manager}. */
    public ExponentialMovingAverage(double maxDecay, Warmup warmup, NDManager manager) {
        if (!(maxDecay >= 0 && maxDecay <= 1)) {
            throw new IllegalArgumentException("EMA decay must be in [0, 1], got " + maxDecay);
        }
        this.maxDecay = maxDecay;
        this.warmup = warmup;
        this.manager = manager;
    }

    /**
     * The decay of update number {@code updates} (1 for the first), as diffusers' {@code
     * get_decay}: with {@code s = updates − 1}, 0 while {@code s ≤ 0} (the shadow takes the
     * weights), then the warm-up's value capped at the maximum decay.
     */
    public double decay(long updates) {
        long s = updates - 1;
        if (s <= 0) {
            return 0;
        }
        double d =
                switch (warmup) {
                    case NONE -> maxDecay;
                    case STEP_RATIO -> (1.0 + s) / (10.0 + s);
                    case POWER -> 1 - Math.pow(1 + s, -POWER);
                };
        return Math.min(maxDecay, d);
    }

    /** Starts the shadow as a copy of the trainable parameters. */
    public void initialize(Map<String, Parameter> params) {
        shadow.clear();
        params.forEach(
                (k, p) -> {
                    if (p.requiresGradient()) {
                        shadow.put(k, copy(p.getArray()));
                    }
                });
    }

    /** Folds the parameters into the shadow after update number {@code updates}. */
    public void update(Map<String, Parameter> params, long updates) {
        float d = (float) decay(updates);
        for (Map.Entry<String, NDArray> e : shadow.entrySet()) {
            NDArray p = params.get(e.getKey()).getArray();
            try (NDManager scratch = manager.newSubManager()) {
                NDArray scaled = p.mul(1 - d);
                scaled.attach(scratch);
                e.getValue().muli(d).addi(scaled);
            }
        }
    }

    /** Overwrites the parameters with the shadow (for saving the averaged model). */
    public void copyTo(Map<String, Parameter> params) {
        shadow.forEach((k, v) -> params.get(k).getArray().set(v.toByteBuffer()));
    }

    /** The shadow by parameter name (the live tensors, not copies). */
    public Map<String, NDArray> state() {
        return new LinkedHashMap<>(shadow);
    }

    /** Restores a shadow written from {@link #state()} (copied into this average's manager). */
    public void load(Map<String, NDArray> state) {
        shadow.clear();
        state.forEach((k, v) -> shadow.put(k, copy(v)));
    }

    /**
     * A copy that shares no storage with {@code v}: DJL's {@code toDevice}/{@code toType} with
     * {@code copy} true still return a view when nothing changes, so clone explicitly.
     */
    private NDArray copy(NDArray v) {
        NDArray c =
                v.toDevice(manager.getDevice(), false).toType(DataType.FLOAT32, false).duplicate();
        c.attach(manager);
        return c;
    }
}
