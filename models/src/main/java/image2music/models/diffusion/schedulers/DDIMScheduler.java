package image2music.models.diffusion.schedulers;

import ai.djl.ndarray.NDArray;
import com.google.gson.JsonObject;

/**
 * Song et al.'s denoising diffusion implicit models, as diffusers' {@code DDIMScheduler}:
 * deterministic for {@code eta} 0 (the default), a DDPM-like sampler as {@code eta} approaches 1.
 * {@code set_alpha_to_one} chooses ᾱ past the last step (1, or ᾱ_0 as SD configures it). Scalars
 * are computed in float32 exactly as diffusers does.
 *
 * <p>Stateless between steps. {@code eta} is a property of the sampler, set with {@link #withEta};
 * with {@code eta > 0} a step needs a {@link NoiseSource}.
 */
public final class DDIMScheduler extends AlphaScheduler {

    private final String predictionType;
    private final boolean clipSample;
    private final float clipRange;
    private final float finalAlphaCumprod;
    private final float eta;

    /** diffusers' constructor defaults. */
    public static JsonObject defaults() {
        JsonObject o = NoiseSchedule.defaults();
        o.addProperty("clip_sample", true);
        o.addProperty("set_alpha_to_one", true);
        o.addProperty("steps_offset", 0);
        o.addProperty("prediction_type", "epsilon");
        o.addProperty("thresholding", false);
        o.addProperty("dynamic_thresholding_ratio", 0.995);
        o.addProperty("clip_sample_range", 1.0);
        o.addProperty("sample_max_value", 1.0);
        o.addProperty("timestep_spacing", "leading");
        o.addProperty("rescale_betas_zero_snr", false);
        return o;
    }

    /** A deterministic (eta 0) DDIM sampler. */
    public DDIMScheduler(SchedulerConfig config) {
        this(config, 0f);
    }

    private DDIMScheduler(SchedulerConfig config, float eta) {
        super(config, true);
        if (!(eta >= 0f && eta <= 1f)) {
            throw new IllegalArgumentException("DDIM eta must be in [0, 1], got " + eta);
        }
        this.predictionType =
                config.require("prediction_type", "epsilon", "sample", "v_prediction");
        config.refuseFlag("thresholding");
        this.clipSample = config.flag("clip_sample");
        this.clipRange = (float) config.number("clip_sample_range");
        this.finalAlphaCumprod = config.flag("set_alpha_to_one") ? 1f : schedule.alphaCumprod(0);
        this.eta = eta;
    }

    /** This sampler (config and timesteps) with another {@code eta} (0 = deterministic). */
    public DDIMScheduler withEta(double eta) {
        DDIMScheduler other = new DDIMScheduler(config, (float) eta);
        other.timesteps = timesteps.clone();
        other.numInferenceSteps = numInferenceSteps;
        return other;
    }

    /** The stochasticity of the sampler (0 = deterministic). */
    public double eta() {
        return eta;
    }

    @Override
    public StepOutput step(
            NDArray modelOutput, double timestep, NDArray sample, NoiseSource noise) {
        requireTimesteps();
        NoiseSchedule.checkSameShape(sample, modelOutput);
        int t = Timesteps.discrete(timestep, schedule.size());
        int prevT = t - schedule.size() / numInferenceSteps;
        float alphaProd = schedule.alphaCumprod(t);
        float alphaProdPrev = prevT >= 0 ? schedule.alphaCumprod(prevT) : finalAlphaCumprod;
        float betaProd = 1f - alphaProd;
        float betaProdPrev = 1f - alphaProdPrev;
        float sqrtA = sqrt(alphaProd);
        float sqrtB = sqrt(betaProd);
        try (StepScope s = new StepScope(sample)) {
            NDArray x = s.in(sample);
            NDArray out = s.in(modelOutput);
            NDArray x0;
            NDArray eps;
            switch (predictionType) {
                case "epsilon" -> {
                    x0 = x.sub(out.mul(sqrtB)).div(sqrtA);
                    eps = out;
                }
                case "sample" -> {
                    x0 = out.duplicate();
                    eps = x.sub(x0.mul(sqrtA)).div(sqrtB);
                }
                default -> {
                    x0 = x.mul(sqrtA).sub(out.mul(sqrtB));
                    eps = out.mul(sqrtA).add(x.mul(sqrtB));
                }
            }
            if (clipSample) {
                x0 = x0.clip(-clipRange, clipRange);
            }
            float variance = (betaProdPrev / betaProd) * (1f - alphaProd / alphaProdPrev);
            float stdDev = eta * sqrt(variance);
            NDArray direction = eps.mul(sqrt(1f - alphaProdPrev - stdDev * stdDev));
            NDArray prev = x0.mul(sqrt(alphaProdPrev)).add(direction);
            if (eta > 0) {
                if (noise == null) {
                    throw new IllegalArgumentException(
                            "DDIMScheduler.step with eta " + eta + " needs a NoiseSource");
                }
                NDArray z = noise.next(s.manager(), out.getShape(), out.getDataType());
                prev = prev.add(z.mul(stdDev));
            }
            return new StepOutput(s.keep(prev), s.keep(x0));
        }
    }
}
