package image2music.pipeline.evaluate;

import image2music.models.diffusion.pipeline.GenerationRequest;
import image2music.pipeline.DiffusionSettings;
import image2music.pipeline.InvalidRequestException;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link EvaluationService} measures.
 *
 * @param generator the spectrogram generator's pipeline folder
 * @param data the captioned spectrogram dataset it was trained on (build-dataset's output); each
 *     distinct caption is a class
 * @param classifier a mood classifier's folder (a ViT over spectrogram windows with the dataset's
 *     captions as labels), or null to train one into {@code work/classifier}
 * @param classifierSteps optimiser steps of the classifier trained when none is given (whole
 *     epochs, at least this many steps)
 * @param perClass generated clips per class
 * @param steps denoising steps per generated clip
 * @param guidance classifier-free guidance scale of the generated clips (1 skips it)
 * @param seed seeds the held-out split, the classifier and the generated clips
 * @param work where the trained classifier and the generated clips go; a rerun reuses what an
 *     earlier run completed there
 * @param endToEnd music made from pictures of known mood, or empty
 */
public record EvaluationRequest(
        Path generator,
        Path data,
        Path classifier,
        int classifierSteps,
        int perClass,
        int steps,
        double guidance,
        long seed,
        Path work,
        List<PictureMusic> endToEnd) {

    /** Generated clips per class when none are given. */
    public static final int DEFAULT_PER_CLASS = 8;

    /** Optimiser steps of a classifier trained here when none are given. */
    public static final int DEFAULT_CLASSIFIER_STEPS = 1600;

    /** Denoising steps per generated clip when none are given. */
    public static final int DEFAULT_STEPS = 25;

    /**
     * Music made from a picture: its spectrogram and the mood the picture was labelled with.
     *
     * @param name names the case in the report
     * @param mood the picture's label (a caption of the dataset when the music fits)
     * @param spectrogram the music's spectrogram image ({@code X.png} beside {@code X.wav})
     */
    public record PictureMusic(String name, String mood, Path spectrogram) {}

    public EvaluationRequest {
        if (generator == null || data == null || work == null) {
            throw new IllegalArgumentException("generator, data and work must not be null");
        }
        if (perClass < 2) {
            throw new InvalidRequestException(
                    "--per-mood must be at least 2 (diversity compares pairs), got " + perClass);
        }
        if (classifierSteps < 1) {
            throw new InvalidRequestException(
                    "--classifier-steps must be at least 1, got " + classifierSteps);
        }
        if (steps < 1) {
            throw new InvalidRequestException("--steps must be at least 1, got " + steps);
        }
        if (!GenerationRequest.isValidGuidance(guidance)) {
            throw new InvalidRequestException("--guidance must be >= 0, got " + guidance);
        }
        endToEnd = endToEnd == null ? List.of() : List.copyOf(endToEnd);
    }

    /** The defaults for {@code generator} on {@code data}, working in {@code work}. */
    public static EvaluationRequest of(Path generator, Path data, Path work) {
        return new EvaluationRequest(
                generator,
                data,
                null,
                DEFAULT_CLASSIFIER_STEPS,
                DEFAULT_PER_CLASS,
                DEFAULT_STEPS,
                DiffusionSettings.DEFAULT_GUIDANCE,
                0,
                work,
                List.of());
    }
}
