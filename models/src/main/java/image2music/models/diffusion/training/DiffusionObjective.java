package image2music.models.diffusion.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import image2music.models.diffusion.schedulers.NoiseSchedule;
import image2music.models.diffusion.schedulers.SchedulerConfig;
import image2music.models.nn.Tensors;
import java.util.Arrays;

/**
 * What the denoiser is trained to predict and how errors are weighed, as diffusers' {@code
 * train_text_to_image.py} does it: the target is the noise ({@code epsilon}), the velocity ({@code
 * v_prediction}) or the clean latents ({@code sample}); the loss is the mean squared error, per
 * sample weighted by Min-SNR-γ (Hang et al. 2023) when {@code snrGamma > 0}; the noise may carry an
 * offset constant over each channel ({@code noise_offset}), which lets a model learn overall
 * brightness — here, overall loudness.
 *
 * @param predictionType {@code epsilon}, {@code v_prediction} or {@code sample}
 * @param snrGamma γ of Min-SNR weighting (diffusers recommends 5), or 0 for the plain mean
 * @param noiseOffset scale of the per-channel offset added to the noise, or 0
 */
public record DiffusionObjective(String predictionType, double snrGamma, double noiseOffset) {

    public static final String EPSILON = "epsilon";
    public static final String V_PREDICTION = "v_prediction";
    public static final String SAMPLE = "sample";

    public DiffusionObjective {
        if (!EPSILON.equals(predictionType)
                && !V_PREDICTION.equals(predictionType)
                && !SAMPLE.equals(predictionType)) {
            throw new IllegalArgumentException(
                    "prediction_type '"
                            + predictionType
                            + "' is not one of epsilon, v_prediction, sample");
        }
        if (!(snrGamma >= 0) || !(noiseOffset >= 0)) {
            throw new IllegalArgumentException(
                    "snr_gamma " + snrGamma + " and noise_offset " + noiseOffset + " must be ≥ 0");
        }
    }

    /** The objective of a scheduler config (its {@code prediction_type}), without extras. */
    public static DiffusionObjective of(SchedulerConfig config) {
        return new DiffusionObjective(config.predictionType(), 0, 0);
    }

    /** diffusers' {@code compute_snr}: {@code ᾱ_t / (1 − ᾱ_t)} per timestep. */
    public static double[] snr(NoiseSchedule schedule, int[] timesteps) {
        double[] out = new double[timesteps.length];
        for (int i = 0; i < out.length; i++) {
            double a = schedule.alphaCumprod(timesteps[i]);
            out[i] = a / (1 - a);
        }
        return out;
    }

    /**
     * The per-sample loss weights: Min-SNR-γ {@code min(SNR, γ)/SNR} for epsilon, {@code min(SNR,
     * γ)/(SNR + 1)} for v-prediction, {@code min(SNR, γ)} for sample prediction; all 1 without γ.
     */
    public double[] lossWeights(NoiseSchedule schedule, int[] timesteps) {
        double[] w = new double[timesteps.length];
        if (snrGamma == 0) {
            Arrays.fill(w, 1);
            return w;
        }
        double[] snr = snr(schedule, timesteps);
        for (int i = 0; i < w.length; i++) {
            double clipped = Math.min(snr[i], snrGamma);
            w[i] =
                    switch (predictionType) {
                        case EPSILON -> clipped / snr[i];
                        case V_PREDICTION -> clipped / (snr[i] + 1);
                        default -> clipped;
                    };
        }
        return w;
    }

    /**
     * The noise to add: {@code noise}, plus {@code noiseOffset · offset} when an offset is set;
     * {@code offset} is standard normal of shape (B, C, 1, 1) (drawn by the caller, so the run's
     * seed decides it).
     */
    public NDArray noise(NDArray noise, NDArray offset) {
        if (noiseOffset == 0) {
            return noise;
        }
        Shape s = noise.getShape();
        Shape want = new Shape(s.get(0), s.get(1), 1, 1);
        if (!offset.getShape().equals(want)) {
            throw new IllegalArgumentException(
                    "noise offset of shape " + offset.getShape() + ", expected " + want);
        }
        return noise.add(offset.mul((float) noiseOffset));
    }

    /** Draws the (B, C, 1, 1) offset for {@link #noise} from {@code manager}'s generator. */
    public NDArray drawOffset(NDManager manager, Shape latents) {
        return manager.randomNormal(new Shape(latents.get(0), latents.get(1), 1, 1));
    }

    /** The model's target for clean {@code latents} noised with {@code noise} at {@code t}. */
    public NDArray target(
            NoiseSchedule schedule, NDArray latents, NDArray noise, double[] timesteps) {
        return switch (predictionType) {
            case EPSILON -> noise;
            case V_PREDICTION -> schedule.velocity(latents, noise, timesteps);
            default -> latents;
        };
    }

    /**
     * The training loss: per-sample mean squared error over all but the batch axis, times {@code
     * weights}, averaged over the batch (with all weights 1, the plain MSE).
     */
    public NDArray loss(NDArray prediction, NDArray target, double[] weights) {
        long batch = prediction.getShape().get(0);
        if (weights.length != batch || !prediction.getShape().equals(target.getShape())) {
            throw new IllegalArgumentException(
                    "prediction "
                            + prediction.getShape()
                            + ", target "
                            + target.getShape()
                            + " and "
                            + weights.length
                            + " weights do not match");
        }
        NDArray perSample = prediction.sub(target).square().reshape(batch, -1).mean(new int[] {1});
        float[] w = new float[weights.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) weights[i];
        }
        NDArray wa = Tensors.of(prediction.getManager(), w, new Shape(w.length));
        return perSample.mul(wa).mean();
    }
}
