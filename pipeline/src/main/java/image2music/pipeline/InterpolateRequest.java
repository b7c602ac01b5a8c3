package image2music.pipeline;

import image2music.models.diffusion.guidance.Strength;
import image2music.models.diffusion.pipeline.GenerationRequest;
import image2music.models.diffusion.pipeline.InterpolationEndpoint;
import image2music.models.diffusion.pipeline.InterpolationRequest;
import java.nio.file.Path;

/**
 * Interpolation: clips morphing from one prompt (and seed, guidance, strength) to another, then one
 * cross-faded piece of them all.
 *
 * @param model the generator's diffusers pipeline folder
 * @param from the first end
 * @param to the last end
 * @param stepsBetween clips between the two ends (0: just the ends)
 * @param initImage a seed spectrogram image every clip starts from (img2img), or null
 * @param initAudio audio whose first clip is the seed spectrogram, or null (not with {@code
 *     initImage})
 * @param mask with an init: regenerate only its white pixels, or null
 * @param overlapSeconds seconds each join cross-fades over
 * @param diffusion steps, scheduler, clip width (default: the init's, else 512), negative prompt
 * @param out the output folder: {@code clip-000.wav}, … and {@code interpolation.wav}
 * @param force write a joined piece over {@link image2music.core.io.OutputLimits}' bound (an hour,
 *     1 GiB) too
 */
public record InterpolateRequest(
        Path model,
        InterpolationEndpoint from,
        InterpolationEndpoint to,
        int stepsBetween,
        Path initImage,
        Path initAudio,
        Path mask,
        double overlapSeconds,
        DiffusionSettings diffusion,
        Path out,
        boolean force) {

    /** How far an end noises the init when nothing else is asked. */
    public static final double DEFAULT_STRENGTH = 0.75;

    /** Seconds each join cross-fades over when nothing else is asked. */
    public static final double DEFAULT_OVERLAP = 1.0;

    /**
     * @throws InvalidRequestException naming the setting that is out of range
     */
    public InterpolateRequest {
        if (stepsBetween < 0) {
            throw new InvalidRequestException("--steps-between must be >= 0, got " + stepsBetween);
        }
        if (initImage != null && initAudio != null) {
            throw new InvalidRequestException("--init-image and --init-audio exclude each other");
        }
        if (mask != null && initImage == null && initAudio == null) {
            throw new InvalidRequestException(
                    "--mask " + mask + " needs --init-image or --init-audio to keep pixels from");
        }
    }

    /** A request that keeps to {@link image2music.core.io.OutputLimits} (no {@code --force}). */
    public InterpolateRequest(
            Path model,
            InterpolationEndpoint from,
            InterpolationEndpoint to,
            int stepsBetween,
            Path initImage,
            Path initAudio,
            Path mask,
            double overlapSeconds,
            DiffusionSettings diffusion,
            Path out) {
        this(
                model,
                from,
                to,
                stepsBetween,
                initImage,
                initAudio,
                mask,
                overlapSeconds,
                diffusion,
                out,
                false);
    }

    /**
     * {@code stepsBetween} clips between two prompts with the defaults: no init, a {@value
     * #DEFAULT_OVERLAP} s cross-fade.
     */
    public static InterpolateRequest of(
            Path model,
            InterpolationEndpoint from,
            InterpolationEndpoint to,
            int stepsBetween,
            Path out) {
        return new InterpolateRequest(
                model,
                from,
                to,
                stepsBetween,
                null,
                null,
                null,
                DEFAULT_OVERLAP,
                DiffusionSettings.defaults(),
                out);
    }

    /**
     * An end of the interpolation.
     *
     * @param end "from" or "to", for the messages
     * @throws InvalidRequestException naming the option whose value is out of range
     */
    public static InterpolationEndpoint endpoint(
            String end, String prompt, long seed, double guidance, double strength) {
        if (!(strength >= 0 && strength <= 1)) {
            throw new InvalidRequestException(
                    "--" + end + "-strength must be in [0, 1], got " + strength);
        }
        if (!GenerationRequest.isValidGuidance(guidance)) {
            throw new InvalidRequestException(
                    "--" + end + "-guidance must be >= 0, got " + guidance);
        }
        return new InterpolationEndpoint(prompt, seed, guidance, new Strength(strength));
    }

    /** This with diffusion settings {@code d}. */
    public InterpolateRequest withDiffusion(DiffusionSettings d) {
        return new InterpolateRequest(
                model,
                from,
                to,
                stepsBetween,
                initImage,
                initAudio,
                mask,
                overlapSeconds,
                d,
                out,
                force);
    }

    /** The alphas of the clips: 0, 1/(n+1), …, 1. */
    double[] alphas() {
        return InterpolationRequest.alphas(stepsBetween);
    }
}
