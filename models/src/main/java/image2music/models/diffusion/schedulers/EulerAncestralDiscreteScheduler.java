package image2music.models.diffusion.schedulers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonObject;

/**
 * Ancestral sampling with Euler steps (k-diffusion's {@code sample_euler_ancestral}), as diffusers'
 * {@code EulerAncestralDiscreteScheduler}: each step goes down to σ_down by an Euler step and adds
 * fresh noise of standard deviation σ_up, where σ_up² = σ_next²(σ² − σ_next²)/σ² and σ_down² =
 * σ_next² − σ_up². Same σ grid and input scaling as {@link EulerDiscreteScheduler}; scalars in
 * float32 as diffusers computes them.
 *
 * <p><b>Stateful</b>: it tracks the step index (found from the first timestep it sees, advanced by
 * each {@link #step}); steps must follow {@link #timesteps()} in order, and each step draws one
 * noise tensor from its {@link NoiseSource} (the last one too, where σ_up is 0, so that a seed's
 * draws line up with diffusers'). {@link #setTimesteps} starts a new run.
 */
public final class EulerAncestralDiscreteScheduler extends SigmaScheduler {

    private final String predictionType;

    /** diffusers' constructor defaults. */
    public static JsonObject defaults() {
        JsonObject o = NoiseSchedule.defaults();
        o.addProperty("prediction_type", "epsilon");
        o.addProperty("timestep_spacing", "linspace");
        o.addProperty("steps_offset", 0);
        o.addProperty("rescale_betas_zero_snr", false);
        return o;
    }

    public EulerAncestralDiscreteScheduler(SchedulerConfig config) {
        super(config, false);
        this.predictionType = config.require("prediction_type", "epsilon", "v_prediction");
        config.require("timestep_spacing", "linspace", "leading", "trailing");
    }

    @Override
    public StepOutput step(NDArray modelOutput, double t, NDArray sample, NoiseSource noise) {
        NoiseSchedule.checkSameShape(sample, modelOutput);
        if (noise == null) {
            throw new IllegalArgumentException(
                    "EulerAncestralDiscreteScheduler.step needs a NoiseSource");
        }
        int i = current(t);
        float sigma = sigma(i);
        float sigmaTo = sigma(i + 1);
        float sigmaUp =
                (float)
                        Math.sqrt(
                                sigmaTo
                                        * sigmaTo
                                        * (sigma * sigma - sigmaTo * sigmaTo)
                                        / (sigma * sigma));
        // Rounding can take σ_next² − σ_up² a hair below 0 where it should be 0.
        float sigmaDown = (float) Math.sqrt(Math.max(0f, sigmaTo * sigmaTo - sigmaUp * sigmaUp));
        DataType outType = modelOutput.getDataType();
        try (StepScope s = new StepScope(sample)) {
            NDArray x = s.in(sample).toType(DataType.FLOAT32, false);
            NDArray out = s.in(modelOutput);
            NDArray x0 =
                    predictionType.equals("epsilon")
                            ? x.sub(out.mul(sigma))
                            : out.mul(-sigma / (float) Math.sqrt(sigma * sigma + 1f))
                                    .add(x.div(sigma * sigma + 1f));
            NDArray derivative = x.sub(x0).div(sigma);
            NDArray prev = x.add(derivative.mul(sigmaDown - sigma));
            NDArray z = noise.next(s.manager(), out.getShape(), outType);
            prev = prev.add(z.mul(sigmaUp)).toType(outType, false);
            advance();
            return new StepOutput(s.keep(prev), s.keep(x0));
        }
    }
}
