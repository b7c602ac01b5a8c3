package image2music.models.diffusion.guidance;

import java.util.Arrays;

/**
 * How far img2img noises its input: strength 0 keeps the input (no denoising steps), 1 starts from
 * pure noise (every step). diffusers' rule: of {@code steps} inference steps, the last {@code
 * min(floor(steps * strength), steps)} are run, starting at index {@code steps - that} of the
 * scheduler's timesteps, whose first timestep is also the one the input latents are noised to.
 *
 * @param value in [0, 1]
 */
public record Strength(double value) {

    public Strength {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("strength must be in [0, 1], got " + value);
        }
    }

    /** The denoising steps actually run: {@code min(floor(steps * strength), steps)}. */
    public int initSteps(int steps) {
        requireSteps(steps);
        // The same double product and truncation as Python's int(steps * strength).
        return Math.min((int) (steps * value), steps);
    }

    /** Index into the scheduler's timesteps where img2img starts: {@code steps - initSteps}. */
    public int startIndex(int steps) {
        return Math.max(steps - initSteps(steps), 0);
    }

    /**
     * The timesteps img2img runs: {@code schedulerTimesteps} (the grid of a {@code steps}-step run)
     * from {@link #startIndex} on, as diffusers slices them for first-order schedulers (all of
     * ours; PNDM's grid has one entry more than steps and keeps it). Empty at strength 0: the input
     * is then returned as is.
     */
    public double[] timesteps(double[] schedulerTimesteps, int steps) {
        int start = startIndex(steps);
        if (schedulerTimesteps.length < steps) {
            throw new IllegalArgumentException(
                    schedulerTimesteps.length + " timesteps for a " + steps + "-step run");
        }
        return Arrays.copyOfRange(schedulerTimesteps, start, schedulerTimesteps.length);
    }

    private static void requireSteps(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("inference steps must be positive, got " + steps);
        }
    }
}
