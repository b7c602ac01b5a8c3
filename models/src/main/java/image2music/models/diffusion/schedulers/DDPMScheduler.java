package image2music.models.diffusion.schedulers;

import ai.djl.ndarray.NDArray;
import com.google.gson.JsonObject;

/**
 * Ho et al.'s denoising diffusion probabilistic model, as diffusers' {@code DDPMScheduler}: the
 * training forward process ({@link #addNoise}, {@link #target}) and ancestral sampling with the
 * fixed variances ({@code variance_type} {@code fixed_small} — SD's —, {@code fixed_small_log},
 * {@code fixed_large}). Scalars are computed in float32 exactly as diffusers does.
 *
 * <p>Stateless between steps: any timestep of the grid may be stepped in any order; the stochastic
 * step takes its noise from a {@link NoiseSource}.
 */
public final class DDPMScheduler extends AlphaScheduler {

    private final String predictionType;
    private final String varianceType;
    private final boolean clipSample;
    private final float clipRange;

    /** diffusers' constructor defaults. */
    public static JsonObject defaults() {
        JsonObject o = NoiseSchedule.defaults();
        o.addProperty("variance_type", "fixed_small");
        o.addProperty("clip_sample", true);
        o.addProperty("prediction_type", "epsilon");
        o.addProperty("thresholding", false);
        o.addProperty("dynamic_thresholding_ratio", 0.995);
        o.addProperty("clip_sample_range", 1.0);
        o.addProperty("sample_max_value", 1.0);
        o.addProperty("timestep_spacing", "leading");
        o.addProperty("steps_offset", 0);
        o.addProperty("rescale_betas_zero_snr", false);
        return o;
    }

    public DDPMScheduler(SchedulerConfig config) {
        super(config, true);
        this.predictionType =
                config.require("prediction_type", "epsilon", "sample", "v_prediction");
        this.varianceType =
                config.require("variance_type", "fixed_small", "fixed_small_log", "fixed_large");
        config.refuseFlag("thresholding");
        this.clipSample = config.flag("clip_sample");
        this.clipRange = (float) config.number("clip_sample_range");
    }

    /** The timestep a step from {@code t} lands on (negative past the end). */
    private int previous(int t) {
        int n = numInferenceSteps > 0 ? numInferenceSteps : schedule.size();
        return t - schedule.size() / n;
    }

    @Override
    public StepOutput step(
            NDArray modelOutput, double timestep, NDArray sample, NoiseSource noise) {
        NoiseSchedule.checkSameShape(sample, modelOutput);
        int t = Timesteps.discrete(timestep, schedule.size());
        int prevT = previous(t);
        float alphaProd = schedule.alphaCumprod(t);
        float alphaProdPrev = prevT >= 0 ? schedule.alphaCumprod(prevT) : 1f;
        float betaProd = 1f - alphaProd;
        float betaProdPrev = 1f - alphaProdPrev;
        float currentAlpha = alphaProd / alphaProdPrev;
        float currentBeta = 1f - currentAlpha;
        try (StepScope s = new StepScope(sample)) {
            NDArray x = s.in(sample);
            NDArray eps = s.in(modelOutput);
            NDArray x0 =
                    switch (predictionType) {
                        case "epsilon" -> x.sub(eps.mul(sqrt(betaProd))).div(sqrt(alphaProd));
                        case "sample" -> eps.duplicate();
                        default -> x.mul(sqrt(alphaProd)).sub(eps.mul(sqrt(betaProd)));
                    };
            if (clipSample) {
                x0 = x0.clip(-clipRange, clipRange);
            }
            float x0Coeff = sqrt(alphaProdPrev) * currentBeta / betaProd;
            float xCoeff = sqrt(currentAlpha) * betaProdPrev / betaProd;
            NDArray prev = x0.mul(x0Coeff).add(x.mul(xCoeff));
            if (t > 0) {
                if (noise == null) {
                    throw new IllegalArgumentException(
                            "DDPMScheduler.step at t=" + t + " needs a NoiseSource");
                }
                NDArray z = noise.next(s.manager(), eps.getShape(), eps.getDataType());
                prev = prev.add(z.mul(noiseScale(t, alphaProd, alphaProdPrev, currentBeta)));
            }
            return new StepOutput(s.keep(prev), s.keep(x0));
        }
    }

    /** What the noise is multiplied by: the standard deviation of the chosen variance. */
    private float noiseScale(int t, float alphaProd, float alphaProdPrev, float currentBeta) {
        float variance = (1f - alphaProdPrev) / (1f - alphaProd) * currentBeta;
        variance = Math.max(variance, 1e-20f);
        return switch (varianceType) {
            case "fixed_small" -> sqrt(variance);
            // diffusers returns exp(0.5·log v) here and multiplies it in directly.
            case "fixed_small_log" -> (float) Math.exp(0.5f * (float) Math.log(variance));
            default -> sqrt(currentBeta);
        };
    }

    /**
     * The training target for the model at timesteps {@code t}: the noise for {@code epsilon}
     * prediction, {@code sqrt(ᾱ)·noise − sqrt(1−ᾱ)·x0} for {@code v_prediction}, x0 for {@code
     * sample}.
     */
    public NDArray target(NDArray original, NDArray noise, double[] t) {
        return switch (predictionType) {
            case "epsilon" -> noise.duplicate();
            case "sample" -> original.duplicate();
            default -> schedule.velocity(original, noise, t);
        };
    }
}
