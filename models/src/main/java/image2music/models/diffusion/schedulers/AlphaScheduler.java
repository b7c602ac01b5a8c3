package image2music.models.diffusion.schedulers;

import ai.djl.ndarray.NDArray;

/**
 * What the samplers that step on the ᾱ table share (DDPM, DDIM, PNDM): the config and its training
 * tables, the run's timesteps on the config's spacing, the forward process, and float32 scalar
 * maths as diffusers does it.
 */
abstract class AlphaScheduler implements Scheduler {

    protected final SchedulerConfig config;
    protected final NoiseSchedule schedule;
    protected double[] timesteps;
    protected int numInferenceSteps;

    /**
     * @param fullGrid whether the timesteps before {@link #setTimesteps} are every training step,
     *     descending (DDPM, DDIM), rather than none (PNDM)
     */
    AlphaScheduler(SchedulerConfig config, boolean fullGrid) {
        this.config = config;
        this.schedule = NoiseSchedule.of(config);
        config.require("timestep_spacing", "linspace", "leading", "trailing");
        int n = fullGrid ? schedule.size() : 0;
        timesteps = new double[n];
        for (int i = 0; i < n; i++) {
            timesteps[i] = n - 1 - i;
        }
    }

    @Override
    public SchedulerConfig config() {
        return config;
    }

    /** The training tables. */
    public NoiseSchedule schedule() {
        return schedule;
    }

    @Override
    public void setTimesteps(int n) {
        timesteps = spaced(n);
        numInferenceSteps = n;
    }

    /** {@code n} timesteps on the config's spacing and offset, descending. */
    protected final double[] spaced(int n) {
        return Timesteps.spaced(config.timestepSpacing(), n, schedule.size(), config.stepsOffset());
    }

    @Override
    public double[] timesteps() {
        return timesteps.clone();
    }

    /** Refuses a step before {@link #setTimesteps}. */
    protected final void requireTimesteps() {
        if (numInferenceSteps == 0) {
            throw new IllegalStateException(
                    getClass().getSimpleName() + ".step before setTimesteps");
        }
    }

    @Override
    public NDArray addNoise(NDArray original, NDArray noise, double[] t) {
        return schedule.addNoise(original, noise, t);
    }

    static float sqrt(float x) {
        return (float) Math.sqrt(x);
    }
}
