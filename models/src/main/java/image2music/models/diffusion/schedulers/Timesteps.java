package image2music.models.diffusion.schedulers;

/**
 * Inference timestep grids as diffusers builds them with numpy ({@code linspace}, {@code arange},
 * {@code round} half to even, {@code interp}), reproduced operation by operation so that the
 * integer timesteps match exactly and the float ones to the last bit.
 */
final class Timesteps {

    private Timesteps() {}

    /** {@code t} as a table index: it must be a whole number in [0, trainSteps). */
    static int discrete(double t, int trainSteps) {
        if (t != Math.rint(t) || t < 0 || t >= trainSteps) {
            throw new IllegalArgumentException(
                    "timestep " + t + " is not an integer in [0, " + trainSteps + ")");
        }
        return (int) t;
    }

    /** numpy's {@code linspace(start, stop, num)} in float64 (endpoint exact). */
    static double[] linspace(double start, double stop, int num) {
        double[] y = new double[num];
        if (num == 1) {
            y[0] = start;
            return y;
        }
        double step = (stop - start) / (num - 1);
        for (int i = 0; i < num; i++) {
            y[i] = i * step + start;
        }
        y[num - 1] = stop;
        return y;
    }

    /** numpy's {@code arange(start, stop, step)} for floats: length and fill as numpy computes. */
    static double[] arange(double start, double stop, double step) {
        int len = (int) Math.ceil((stop - start) / step);
        if (len <= 0) {
            return new double[0];
        }
        // numpy fills from the first two values: delta = (start + step) - start.
        double delta = (start + step) - start;
        double[] y = new double[len];
        for (int i = 0; i < len; i++) {
            y[i] = start + i * delta;
        }
        return y;
    }

    /** Reverses in place and returns {@code a}. */
    static double[] reversed(double[] a) {
        for (int i = 0, j = a.length - 1; i < j; i++, j--) {
            double t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    /**
     * The descending integer grid diffusers' DDPM/DDIM/Euler use for {@code n} steps of a {@code
     * trainSteps} schedule, with {@code timestep_spacing} {@code linspace}, {@code leading} (plus
     * {@code steps_offset}) or {@code trailing}.
     */
    static double[] spaced(String spacing, int n, int trainSteps, int stepsOffset) {
        checkSteps(n, trainSteps);
        double[] t;
        switch (spacing) {
            case "linspace" -> {
                t = reversed(linspace(0, trainSteps - 1, n));
                for (int i = 0; i < n; i++) {
                    t[i] = Math.rint(t[i]);
                }
            }
            case "leading" -> {
                int ratio = trainSteps / n;
                t = new double[n];
                for (int i = 0; i < n; i++) {
                    t[i] = (double) (n - 1 - i) * ratio + stepsOffset;
                }
            }
            case "trailing" -> {
                double ratio = (double) trainSteps / n;
                t = arange(trainSteps, 0, -ratio);
                for (int i = 0; i < t.length; i++) {
                    t[i] = Math.rint(t[i]) - 1;
                }
            }
            default ->
                    throw new IllegalArgumentException(
                            "timestep_spacing '"
                                    + spacing
                                    + "' is not one of linspace, leading, trailing");
        }
        return t;
    }

    static void checkSteps(int n, int trainSteps) {
        if (n < 1 || n > trainSteps) {
            throw new IllegalArgumentException(
                    "num_inference_steps " + n + " is not in [1, " + trainSteps + "]");
        }
    }

    /** numpy's {@code interp(x, arange(len(fp)), fp)} in float64. */
    static double interp(double x, double[] fp) {
        int last = fp.length - 1;
        if (x <= 0) {
            return fp[0];
        }
        if (x >= last) {
            return fp[last];
        }
        int j = (int) Math.floor(x);
        if (j == x) {
            return fp[j];
        }
        double slope = (fp[j + 1] - fp[j]) / ((j + 1) - j);
        return slope * (x - j) + fp[j];
    }

    /**
     * The float32 Karras-style σ = sqrt((1 − ᾱ)/ᾱ) per training timestep, as diffusers computes it.
     */
    static double[] sigmasF32(NoiseSchedule schedule) {
        double[] acp = schedule.alphasCumprod();
        double[] s = new double[acp.length];
        for (int i = 0; i < acp.length; i++) {
            float a = (float) acp[i];
            float q = (1f - a) / a;
            s[i] = (float) Math.sqrt(q);
        }
        return s;
    }

    /** Index of {@code t} in {@code schedule}: its second occurrence if repeated, -1 if absent. */
    static int indexOf(double[] schedule, double t) {
        int first = -1;
        for (int i = 0; i < schedule.length; i++) {
            if (schedule[i] == t) {
                if (first >= 0) {
                    return i;
                }
                first = i;
            }
        }
        return first;
    }

    /**
     * The Euler schedulers' float timesteps: as {@link #spaced} but {@code linspace} is not
     * rounded, and every value is a float32.
     */
    static double[] fractional(String spacing, int n, int trainSteps, int stepsOffset) {
        double[] t;
        if (spacing.equals("linspace")) {
            checkSteps(n, trainSteps);
            t = reversed(linspace(0, trainSteps - 1, n));
        } else {
            t = spaced(spacing, n, trainSteps, stepsOffset);
        }
        for (int i = 0; i < t.length; i++) {
            t[i] = (float) t[i];
        }
        return t;
    }

    /**
     * σ at each of {@code timesteps} (linear interpolation of the training σ table, as diffusers'
     * {@code np.interp}) followed by the final σ, all rounded to float32.
     */
    static double[] interpolatedSigmas(double[] timesteps, double[] trainSigmas, double last) {
        double[] s = new double[timesteps.length + 1];
        for (int i = 0; i < timesteps.length; i++) {
            s[i] = (float) interp(timesteps[i], trainSigmas);
        }
        s[timesteps.length] = (float) last;
        return s;
    }
}
