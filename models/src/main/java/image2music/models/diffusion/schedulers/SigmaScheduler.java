package image2music.models.diffusion.schedulers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import image2music.models.nn.Tensors;
import java.util.Arrays;

/**
 * What the Euler schedulers share: a run's timesteps, σ at each of them followed by the final σ,
 * and the step index, found from the first timestep the run sees (so img2img may start mid-grid)
 * and advanced by each step, as diffusers tracks it; the input scaling {@code sample / sqrt(σ² +
 * 1)} and the forward process {@code x0 + σ·noise}. Subclasses make the step. Mutable run state;
 * not thread-safe.
 */
abstract class SigmaScheduler implements Scheduler {

    private final SchedulerConfig config;
    private final int trainSteps;
    private final double[] trainSigmas;
    private final double finalSigma;
    private double[] timesteps;
    private double[] sigmas;
    private int stepIndex = -1;

    /**
     * A scheduler on {@code config}'s training schedule, every training timestep until {@link
     * #setTimesteps}.
     *
     * @param finalSigmaMin end a run at σ_min (diffusers' {@code final_sigmas_type} {@code
     *     sigma_min}) instead of 0
     */
    SigmaScheduler(SchedulerConfig config, boolean finalSigmaMin) {
        this.config = config;
        NoiseSchedule schedule = NoiseSchedule.of(config);
        this.trainSteps = schedule.size();
        this.trainSigmas = Timesteps.sigmasF32(schedule);
        this.finalSigma = finalSigmaMin ? trainSigmas[0] : 0;
        this.timesteps = new double[trainSteps];
        this.sigmas = new double[trainSteps + 1];
        for (int i = 0; i < trainSteps; i++) {
            timesteps[i] = trainSteps - 1 - i;
            sigmas[i] = trainSigmas[trainSteps - 1 - i];
        }
    }

    @Override
    public SchedulerConfig config() {
        return config;
    }

    /** Starts a run of {@code n} steps: fractional timesteps, σ interpolated in the table. */
    @Override
    public void setTimesteps(int n) {
        timesteps =
                Timesteps.fractional(config.timestepSpacing(), n, trainSteps, config.stepsOffset());
        sigmas = Timesteps.interpolatedSigmas(timesteps, trainSigmas, finalSigma);
        stepIndex = -1;
    }

    @Override
    public double[] timesteps() {
        return timesteps.clone();
    }

    /** σ at each timestep of the run, then the final σ (length {@code timesteps().length + 1}). */
    public double[] sigmas() {
        return sigmas.clone();
    }

    /** σ at grid index {@code i}, in float32 as diffusers' scalar arithmetic uses it. */
    float sigma(int i) {
        return (float) sigmas[i];
    }

    /** The largest σ, or sqrt(σ_max² + 1) for {@code leading} spacing, as diffusers has it. */
    @Override
    public double initNoiseSigma() {
        double m = 0;
        for (double s : sigmas) {
            m = Math.max(m, s);
        }
        float max = (float) m;
        String spacing = config.timestepSpacing();
        if (spacing.equals("linspace") || spacing.equals("trailing")) {
            return max;
        }
        return (float) Math.sqrt(max * max + 1f);
    }

    @Override
    public NDArray scaleModelInput(NDArray sample, double t) {
        float sigma = sigma(current(t));
        return sample.div((float) Math.sqrt(sigma * sigma + 1f));
    }

    /**
     * The index of the step being made at {@code t}: found from {@code t} on a run's first call,
     * the tracked index afterwards.
     *
     * @throws IllegalStateException if the run's steps are all done
     */
    int current(double t) {
        if (stepIndex < 0) {
            stepIndex = indexOf(t);
        }
        if (stepIndex >= timesteps.length) {
            throw new IllegalStateException(config.className() + ": the run's steps are all done");
        }
        return stepIndex;
    }

    /** Moves to the next step. */
    void advance() {
        stepIndex++;
    }

    /** {@code original + σ_t·noise} with σ of each row's timestep in this run's grid. */
    @Override
    public NDArray addNoise(NDArray original, NDArray noise, double[] t) {
        NoiseSchedule.checkSameShape(original, noise);
        float[] s = new float[t.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = sigma(indexOf(t[i]));
        }
        try (StepScope scope = new StepScope(original)) {
            NDArray x = scope.in(original);
            NDArray n = scope.in(noise);
            return scope.keep(x.add(n.mul(perRow(x, s))));
        }
    }

    private int indexOf(double t) {
        int i = Timesteps.indexOf(timesteps, t);
        if (i < 0) {
            throw new IllegalArgumentException("timestep " + t + " is not in this run's grid");
        }
        return i;
    }

    /** {@code values} shaped (B, 1, 1, …) in {@code like}'s manager and type. */
    static NDArray perRow(NDArray like, float[] values) {
        long batch = like.getShape().get(0);
        if (values.length != batch) {
            throw new IllegalArgumentException(
                    values.length + " timesteps for a batch of " + batch);
        }
        long[] dims = new long[like.getShape().dimension()];
        Arrays.fill(dims, 1);
        dims[0] = batch;
        NDArray col = Tensors.of(like.getManager(), values, new Shape(dims));
        return like.getDataType() == DataType.FLOAT32 ? col : col.toType(like.getDataType(), false);
    }
}
