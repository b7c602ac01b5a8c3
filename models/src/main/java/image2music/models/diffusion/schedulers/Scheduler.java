package image2music.models.diffusion.schedulers;

import ai.djl.ndarray.NDArray;

/**
 * A diffusion noise scheduler: the timestep grid of a sampling run and the update that takes a
 * sample from one timestep to the next given the model's output, plus the forward (noising) process
 * used in training. Mirrors diffusers' {@code SchedulerMixin}; each implementation is named and
 * configured like its diffusers class and built from a {@code scheduler_config.json} (see {@link
 * Schedulers}).
 *
 * <p>Usage: {@link #setTimesteps}, then for each {@code t} of {@link #timesteps()} in order: feed
 * {@link #scaleModelInput} to the model and pass its output to {@link #step}. The initial noise is
 * a standard normal times {@link #initNoiseSigma()}. Arrays are DJL {@code NDArray}s on any device;
 * results are attached to the sample's manager, intermediates are freed. Implementations say in
 * their Javadoc whether they are stateful (then the steps must be made in order, once each, and
 * {@link #setTimesteps} starts a new run). Not thread-safe.
 */
public interface Scheduler extends AutoCloseable {

    /** The configuration this scheduler was built from. */
    SchedulerConfig config();

    /** Prepares a sampling run of {@code numInferenceSteps} steps (resets any state). */
    void setTimesteps(int numInferenceSteps);

    /**
     * The timesteps of the run, in sampling order (descending). Integer-valued for discrete
     * schedulers (as doubles, exactly); the Euler schedulers use fractional ones.
     */
    double[] timesteps();

    /**
     * The standard deviation of the initial noise: 1 for the variance-preserving schedulers (DDPM,
     * DDIM, PNDM, DPM-Solver), whose samples keep unit variance.
     */
    default double initNoiseSigma() {
        return 1.0;
    }

    /**
     * The model's input at timestep {@code t}: {@code sample} itself for the variance-preserving
     * schedulers; the σ-parameterised ones rescale it to unit variance.
     */
    default NDArray scaleModelInput(NDArray sample, double t) {
        return sample;
    }

    /**
     * One step from {@code t} to the next timestep.
     *
     * @param modelOutput the model's output for {@link #scaleModelInput}{@code (sample, t)}
     * @param t a timestep of {@link #timesteps()}
     * @param sample the current (unscaled) sample
     * @param noise where a stochastic step draws its noise; may be null for deterministic ones
     */
    StepOutput step(NDArray modelOutput, double t, NDArray sample, NoiseSource noise);

    /** A step of a deterministic scheduler. */
    default StepOutput step(NDArray modelOutput, double t, NDArray sample) {
        return step(modelOutput, t, sample, null);
    }

    /**
     * The forward process: {@code original} noised to {@code timesteps} (one per batch row), in
     * this scheduler's parameterisation.
     */
    NDArray addNoise(NDArray original, NDArray noise, double[] timesteps);

    /** Releases arrays a stateful scheduler keeps between steps. */
    @Override
    default void close() {}
}
