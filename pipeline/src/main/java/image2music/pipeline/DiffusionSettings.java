package image2music.pipeline;

import image2music.models.diffusion.pipeline.GenerationRequest;
import java.util.List;

/**
 * How the diffusion pipeline samples, shared by every generation use case. The defaults live here
 * (and in {@link GenerationRequest}, whose constants these are); front ends derive theirs from
 * them.
 *
 * @param negativePrompt what guidance steers away from ("" for nothing)
 * @param steps denoising steps (with a strength, the last part of them runs)
 * @param width pixels per clip, a multiple of 8; null for the use case's default ({@link
 *     #DEFAULT_WIDTH}, or an init image's width)
 * @param scheduler a scheduler name overriding the model's, or null
 * @param loras LoRA files merged into the model before sampling, in order
 */
public record DiffusionSettings(
        String negativePrompt,
        int steps,
        Integer width,
        String scheduler,
        List<LoraWeights> loras) {

    /** Denoising steps when none are given. */
    public static final int DEFAULT_STEPS = GenerationRequest.DEFAULT_STEPS;

    /** Classifier-free guidance scale when none is given. */
    public static final double DEFAULT_GUIDANCE = GenerationRequest.DEFAULT_GUIDANCE;

    /** Pixels per clip when none are given: 512 px = 5.11 s. */
    public static final int DEFAULT_WIDTH = GenerationRequest.DEFAULT_SIZE;

    public DiffusionSettings {
        negativePrompt = negativePrompt == null ? "" : negativePrompt;
        loras = loras == null ? List.of() : List.copyOf(loras);
    }

    /** No negative prompt, {@link #DEFAULT_STEPS} steps, the default width and scheduler. */
    public static DiffusionSettings defaults() {
        return new DiffusionSettings("", DEFAULT_STEPS, null, null, List.of());
    }

    /** This with {@code n} steps. */
    public DiffusionSettings withSteps(int n) {
        return new DiffusionSettings(negativePrompt, n, width, scheduler, loras);
    }

    /** This with clips of {@code px} pixels. */
    public DiffusionSettings withWidth(int px) {
        return new DiffusionSettings(negativePrompt, steps, px, scheduler, loras);
    }

    /** This with the scheduler {@code name}. */
    public DiffusionSettings withScheduler(String name) {
        return new DiffusionSettings(negativePrompt, steps, width, name, loras);
    }

    /** This with {@code l} applied after the LoRAs it has. */
    public DiffusionSettings withLora(LoraWeights l) {
        List<LoraWeights> all = new java.util.ArrayList<>(loras);
        all.add(l);
        return new DiffusionSettings(negativePrompt, steps, width, scheduler, all);
    }

    /** Pixels per clip: {@link #width()}, or {@code fallback} when it is null. */
    public int widthOr(int fallback) {
        return width != null ? width : fallback;
    }

    /**
     * The models' request for {@code prompt} with these settings.
     *
     * @throws InvalidRequestException naming the value the request refuses
     */
    GenerationRequest generation(String prompt, double guidance, long seed, int height, int batch) {
        try {
            return new GenerationRequest(
                    prompt,
                    negativePrompt,
                    guidance,
                    steps,
                    seed,
                    widthOr(DEFAULT_WIDTH),
                    height,
                    scheduler,
                    batch);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
    }
}
