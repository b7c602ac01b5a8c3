package image2music.models.diffusion.schedulers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;

/**
 * Lu et al.'s DPM-Solver++ (multistep, data prediction), as diffusers' {@code
 * DPMSolverMultistepScheduler} with {@code algorithm_type} {@code dpmsolver++}: "DPM++ 2M" at
 * {@code solver_order} 2 (the default; Riffusion's), first order (DDIM-equivalent) at 1. Writing
 * α_t = 1/sqrt(σ²+1), σ_t = σ·α_t, λ = log(α_t/σ_t), h = λ_next − λ and x̂0 the model's data
 * prediction, the first-order update is x' = (σ_t'/σ_t)·x − α_t'(e^{−h} − 1)·x̂0; the second-order
 * one adds a correction from the previous x̂0: D1 = (x̂0 − x̂0_prev)·h/h_prev, weighted
 * −½α_t'(e^{−h} − 1) ({@code solver_type} {@code midpoint}) or α_t'((e^{−h} − 1)/h + 1) ({@code
 * heun}). The first step is first order (no history yet), and so is the last when {@code
 * final_sigmas_type} is {@code zero} or {@code lower_order_final} applies (fewer than 15 steps;
 * then the second-to-last is at most second order). Coefficients are computed in double; the arrays
 * stay in their dtype, the sample in float32.
 *
 * <p><b>Stateful</b>: it keeps the last data predictions and the step index, so steps must follow
 * {@link #timesteps()} in order; {@link #setTimesteps} starts a new run. The kept arrays live in a
 * manager of its own, released by {@link #close()}. Third order, the SDE variants, the noise
 * prediction ({@code dpmsolver}) form, thresholding and Karras/Lu/exponential σ grids are refused.
 */
public final class DPMSolverMultistepScheduler implements Scheduler {

    private final SchedulerConfig config;
    private final NoiseSchedule schedule;
    private final double[] trainSigmas;
    private final String predictionType;
    private final int solverOrder;
    private final boolean midpoint;
    private final boolean lowerOrderFinal;
    private final boolean eulerAtFinal;
    private final boolean finalSigmaZero;
    private double[] timesteps;
    private double[] sigmas;
    private int stepIndex = -1;
    private int lowerOrderNums;
    private NDArray previousX0;
    private NDManager state;

    /** diffusers' constructor defaults. */
    public static JsonObject defaults() {
        JsonObject o = NoiseSchedule.defaults();
        o.addProperty("solver_order", 2);
        o.addProperty("prediction_type", "epsilon");
        o.addProperty("thresholding", false);
        o.addProperty("dynamic_thresholding_ratio", 0.995);
        o.addProperty("sample_max_value", 1.0);
        o.addProperty("algorithm_type", "dpmsolver++");
        o.addProperty("solver_type", "midpoint");
        o.addProperty("lower_order_final", true);
        o.addProperty("euler_at_final", false);
        o.addProperty("use_karras_sigmas", false);
        o.addProperty("use_exponential_sigmas", false);
        o.addProperty("use_beta_sigmas", false);
        o.addProperty("use_lu_lambdas", false);
        o.addProperty("final_sigmas_type", "zero");
        o.addProperty("lambda_min_clipped", Double.NEGATIVE_INFINITY);
        o.add("variance_type", JsonNull.INSTANCE);
        o.addProperty("timestep_spacing", "linspace");
        o.addProperty("steps_offset", 0);
        o.addProperty("rescale_betas_zero_snr", false);
        return o;
    }

    public DPMSolverMultistepScheduler(SchedulerConfig config) {
        this.config = config;
        this.schedule = NoiseSchedule.of(config);
        this.trainSigmas = Timesteps.sigmasF32(schedule);
        this.predictionType =
                config.require("prediction_type", "epsilon", "sample", "v_prediction");
        this.solverOrder = config.integer("solver_order");
        if (solverOrder != 1 && solverOrder != 2) {
            throw config.bad("solver_order", solverOrder + " (supported: 1, 2)");
        }
        config.require("algorithm_type", "dpmsolver++");
        // diffusers maps the UniPC/DEIS solver names onto midpoint.
        String solver = config.require("solver_type", "midpoint", "heun", "logrho", "bh1", "bh2");
        this.midpoint = !solver.equals("heun");
        config.require("timestep_spacing", "linspace", "leading", "trailing");
        config.refuseFlag("thresholding");
        config.refuseFlag("use_karras_sigmas");
        config.refuseFlag("use_exponential_sigmas");
        config.refuseFlag("use_beta_sigmas");
        config.refuseFlag("use_lu_lambdas");
        if (config.values().has("lambda_min_clipped")
                && config.number("lambda_min_clipped") != Double.NEGATIVE_INFINITY) {
            throw config.bad("lambda_min_clipped", "only -inf is supported");
        }
        String vt = config.string("variance_type");
        if (vt != null) {
            throw config.bad("variance_type", vt + " (learned variances are not supported)");
        }
        this.lowerOrderFinal = config.flag("lower_order_final");
        this.eulerAtFinal = config.flag("euler_at_final");
        this.finalSigmaZero =
                config.require("final_sigmas_type", "zero", "sigma_min").equals("zero");
        this.timesteps = new double[0];
        this.sigmas = new double[] {0};
    }

    @Override
    public SchedulerConfig config() {
        return config;
    }

    @Override
    public void setTimesteps(int n) {
        int train = schedule.size();
        Timesteps.checkSteps(n, train);
        String spacing = config.timestepSpacing();
        double[] t;
        switch (spacing) {
            case "linspace" -> {
                // n + 1 points from the end of training down to 0, the last (0) dropped.
                double[] all = Timesteps.reversed(Timesteps.linspace(0, train - 1, n + 1));
                t = new double[n];
                for (int i = 0; i < n; i++) {
                    t[i] = Math.rint(all[i]);
                }
            }
            case "leading" -> {
                int ratio = train / (n + 1);
                t = new double[n];
                for (int i = 0; i < n; i++) {
                    t[i] = (double) (n - i) * ratio + config.stepsOffset();
                }
            }
            default -> t = Timesteps.spaced("trailing", n, train, 0);
        }
        for (double v : t) {
            Timesteps.discrete(v, train);
        }
        timesteps = t;
        sigmas =
                Timesteps.interpolatedSigmas(
                        timesteps, trainSigmas, finalSigmaZero ? 0 : trainSigmas[0]);
        stepIndex = -1;
        lowerOrderNums = 0;
        if (state != null) {
            state.close();
            state = null;
        }
        previousX0 = null;
    }

    @Override
    public double[] timesteps() {
        return timesteps.clone();
    }

    /** σ at each timestep of the run, then the final σ. */
    public double[] sigmas() {
        return sigmas.clone();
    }

    private int indexOf(double t) {
        int i = Timesteps.indexOf(timesteps, t);
        // diffusers falls back to the last step for a timestep not on the grid.
        return i < 0 ? timesteps.length - 1 : i;
    }

    private static double alpha(double sigma) {
        return 1 / Math.sqrt(sigma * sigma + 1);
    }

    private static double lambda(double sigma) {
        double a = alpha(sigma);
        return Math.log(a) - Math.log(sigma * a);
    }

    @Override
    public StepOutput step(NDArray modelOutput, double t, NDArray sample, NoiseSource noise) {
        if (timesteps.length == 0) {
            throw new IllegalStateException("DPMSolverMultistepScheduler.step before setTimesteps");
        }
        NoiseSchedule.checkSameShape(sample, modelOutput);
        if (stepIndex < 0) {
            stepIndex = indexOf(t);
        }
        if (stepIndex >= timesteps.length) {
            throw new IllegalStateException(
                    "DPMSolverMultistepScheduler: the run's steps are all done");
        }
        int last = timesteps.length - 1;
        boolean firstOrderFinal =
                stepIndex == last
                        && (eulerAtFinal
                                || (lowerOrderFinal && timesteps.length < 15)
                                || finalSigmaZero);
        boolean firstOrder = solverOrder == 1 || lowerOrderNums < 1 || firstOrderFinal;
        // With order at most 2, everything that is not first order is second order; so is the
        // second-to-last step under lower_order_final.

        double sigmaS0 = sigmas[stepIndex];
        double sigmaT = sigmas[stepIndex + 1];
        double alphaS0 = alpha(sigmaS0);
        double sigS0 = sigmaS0 * alphaS0;
        double alphaT = alpha(sigmaT);
        double sigT = sigmaT * alphaT;
        // λ at σ = 0 is +∞, so e^{−h} = 0 and the final first-order step returns x̂0 exactly.
        double h = lambda(sigmaT) - lambda(sigmaS0);
        double expm = Math.exp(-h) - 1.0;

        DataType outType = modelOutput.getDataType();
        if (state == null) {
            state = sample.getManager().newSubManager();
        }
        NDArray oldX0 = previousX0;
        StepOutput result;
        try (StepScope s = new StepScope(sample)) {
            NDArray x = s.in(sample);
            NDArray out = s.in(modelOutput);
            s.in(oldX0);
            NDArray x0 =
                    switch (predictionType) {
                        case "epsilon" -> x.sub(out.mul((float) sigS0)).div((float) alphaS0);
                        case "sample" -> out.duplicate();
                        default -> x.mul((float) alphaS0).sub(out.mul((float) sigS0));
                    };
            NDArray x32 = x.toType(DataType.FLOAT32, false);
            NDArray prev = x32.mul((float) (sigT / sigS0)).sub(x0.mul((float) (alphaT * expm)));
            if (!firstOrder) {
                double sigmaS1 = sigmas[stepIndex - 1];
                double h0 = lambda(sigmaS0) - lambda(sigmaS1);
                double r0 = h0 / h;
                NDArray d1 = x0.sub(oldX0).mul((float) (1.0 / r0));
                double c = midpoint ? -0.5 * (alphaT * expm) : alphaT * (expm / h + 1.0);
                prev = prev.add(d1.mul((float) c));
            }
            prev = prev.toType(outType, false);
            NDArray kept = x0.duplicate();
            kept.attach(state);
            previousX0 = kept;
            if (lowerOrderNums < solverOrder) {
                lowerOrderNums++;
            }
            stepIndex++;
            result = new StepOutput(s.keep(prev), s.keep(x0));
        }
        if (oldX0 != null) {
            oldX0.close();
        }
        return result;
    }

    /** {@code α_t·original + σ_t·noise} with α, σ of each row's timestep in this run's grid. */
    @Override
    public NDArray addNoise(NDArray original, NDArray noise, double[] t) {
        NoiseSchedule.checkSameShape(original, noise);
        float[] a = new float[t.length];
        float[] b = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            double sigma = sigmas[indexOf(t[i])];
            a[i] = (float) alpha(sigma);
            b[i] = (float) (sigma * alpha(sigma));
        }
        try (StepScope s = new StepScope(original)) {
            NDArray x = s.in(original);
            NDArray n = s.in(noise);
            return s.keep(
                    x.mul(SigmaScheduler.perRow(x, a)).add(n.mul(SigmaScheduler.perRow(x, b))));
        }
    }

    @Override
    public void close() {
        if (state != null) {
            state.close();
            state = null;
        }
        previousX0 = null;
    }
}
