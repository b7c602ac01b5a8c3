package image2music.models.diffusion.schedulers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;

/**
 * Karras et al.'s Euler method on the probability-flow ODE in σ = sqrt((1−ᾱ)/ᾱ), as diffusers'
 * {@code EulerDiscreteScheduler} without churn ({@code s_churn} 0, so deterministic). The model
 * sees {@code sample / sqrt(σ² + 1)} ({@link #scaleModelInput}); {@link #step} takes the unscaled
 * sample. σ at fractional timesteps is interpolated linearly in the training table; the grid ends
 * with σ = 0 ({@code final_sigmas_type} {@code zero}) or σ_min. Scalars are computed in float32
 * exactly as diffusers does. Karras/exponential/beta σ grids and {@code log_linear} interpolation
 * are refused.
 *
 * <p><b>Stateful</b> in the way diffusers' is: it tracks the step index, found from the first
 * timestep it sees, then advanced by each {@link #step}; steps must follow {@link #timesteps()} in
 * order. {@link #setTimesteps} starts a new run.
 */
public final class EulerDiscreteScheduler extends SigmaScheduler {

    private final String predictionType;

    /** diffusers' constructor defaults. */
    public static JsonObject defaults() {
        JsonObject o = NoiseSchedule.defaults();
        o.addProperty("prediction_type", "epsilon");
        o.addProperty("interpolation_type", "linear");
        o.addProperty("use_karras_sigmas", false);
        o.addProperty("use_exponential_sigmas", false);
        o.addProperty("use_beta_sigmas", false);
        o.add("sigma_min", JsonNull.INSTANCE);
        o.add("sigma_max", JsonNull.INSTANCE);
        o.addProperty("timestep_spacing", "linspace");
        o.addProperty("timestep_type", "discrete");
        o.addProperty("steps_offset", 0);
        o.addProperty("rescale_betas_zero_snr", false);
        o.addProperty("final_sigmas_type", "zero");
        return o;
    }

    public EulerDiscreteScheduler(SchedulerConfig config) {
        super(config, config.require("final_sigmas_type", "zero", "sigma_min").equals("sigma_min"));
        this.predictionType =
                config.require("prediction_type", "epsilon", "sample", "v_prediction");
        config.require("interpolation_type", "linear");
        config.require("timestep_type", "discrete");
        config.require("timestep_spacing", "linspace", "leading", "trailing");
        config.refuseFlag("use_karras_sigmas");
        config.refuseFlag("use_exponential_sigmas");
        config.refuseFlag("use_beta_sigmas");
    }

    @Override
    public StepOutput step(NDArray modelOutput, double t, NDArray sample, NoiseSource noise) {
        NoiseSchedule.checkSameShape(sample, modelOutput);
        int i = current(t);
        float sigma = sigma(i);
        float sigmaNext = sigma(i + 1);
        DataType outType = modelOutput.getDataType();
        try (StepScope s = new StepScope(sample)) {
            NDArray x = s.in(sample).toType(DataType.FLOAT32, false);
            NDArray out = s.in(modelOutput);
            NDArray x0 =
                    switch (predictionType) {
                        case "epsilon" -> x.sub(out.mul(sigma));
                        case "sample" -> out.toType(DataType.FLOAT32, true);
                        default ->
                                out.mul(-sigma / (float) Math.sqrt(sigma * sigma + 1f))
                                        .add(x.div(sigma * sigma + 1f));
                    };
            NDArray derivative = x.sub(x0).div(sigma);
            NDArray prev = x.add(derivative.mul(sigmaNext - sigma)).toType(outType, false);
            advance();
            return new StepOutput(s.keep(prev), s.keep(x0));
        }
    }
}
