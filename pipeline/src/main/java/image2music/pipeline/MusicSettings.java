package image2music.pipeline;

import image2music.core.io.OutputLimits;
import image2music.models.diffusion.pipeline.GenerationRequest;
import java.nio.file.Path;

/**
 * What text to music and image to music share: the generator, how it samples, how many results of
 * what length, and where they go.
 *
 * @param model the generator's diffusers pipeline folder
 * @param guidance classifier-free guidance scale (1 skips it)
 * @param seed seed of result 0; result {@code i} of a batch uses {@code seed + i}
 * @param diffusion steps, scheduler, clip width, negative prompt
 * @param batch how many results
 * @param seconds the length of each result as one continuous piece of clips, or null for one clip
 * @param overlapSeconds seconds shared by consecutive clips of a piece, rounded to the model's
 *     latent grid; null for a quarter of a clip
 * @param out {@code X.wav}; a batch writes {@code X-000.wav}, …, each with its PNG and JSON
 * @param force write results over {@link OutputLimits}' bound (an hour, 1 GiB per WAV) too
 */
public record MusicSettings(
        Path model,
        double guidance,
        long seed,
        DiffusionSettings diffusion,
        int batch,
        Double seconds,
        Double overlapSeconds,
        Path out,
        boolean force) {

    /** Default results per request. */
    public static final int DEFAULT_BATCH = 1;

    /**
     * The longest piece without {@code force}: an hour, far beyond any use, but a bound on memory
     * ({@link OutputLimits#MAX_SECONDS}).
     */
    public static final double MAX_SECONDS = OutputLimits.MAX_SECONDS;

    /**
     * @throws InvalidRequestException if {@code out} is not a WAV, the length is out of range or an
     *     overlap is given for a single clip
     */
    public MusicSettings {
        ResultFiles.checkWav(out);
        if (seconds != null && !(seconds > 0 && Double.isFinite(seconds))) {
            throw new InvalidRequestException("--seconds must be > 0, got " + seconds);
        }
        if (seconds == null && overlapSeconds != null) {
            throw new InvalidRequestException(
                    "--overlap applies to long pieces: give --seconds too");
        }
        if (diffusion == null) {
            throw new IllegalArgumentException("diffusion settings must not be null");
        }
    }

    /** Settings that keep to {@link OutputLimits} (no {@code --force}). */
    public MusicSettings(
            Path model,
            double guidance,
            long seed,
            DiffusionSettings diffusion,
            int batch,
            Double seconds,
            Double overlapSeconds,
            Path out) {
        this(model, guidance, seed, diffusion, batch, seconds, overlapSeconds, out, false);
    }

    /**
     * One clip of {@code model}'s defaults to {@code out}: guidance {@value
     * DiffusionSettings#DEFAULT_GUIDANCE}, {@value DiffusionSettings#DEFAULT_STEPS} steps.
     */
    public static MusicSettings of(Path model, long seed, Path out) {
        return new MusicSettings(
                model,
                DiffusionSettings.DEFAULT_GUIDANCE,
                seed,
                DiffusionSettings.defaults(),
                DEFAULT_BATCH,
                null,
                null,
                out);
    }

    /** This with diffusion settings {@code d}. */
    public MusicSettings withDiffusion(DiffusionSettings d) {
        return new MusicSettings(
                model, guidance, seed, d, batch, seconds, overlapSeconds, out, force);
    }

    /**
     * This as pieces of {@code s} seconds, clips sharing {@code overlap} seconds (null: default).
     */
    public MusicSettings withSeconds(double s, Double overlap) {
        return new MusicSettings(model, guidance, seed, diffusion, batch, s, overlap, out, force);
    }

    /** This with guidance {@code g}. */
    public MusicSettings withGuidance(double g) {
        return new MusicSettings(
                model, g, seed, diffusion, batch, seconds, overlapSeconds, out, force);
    }

    /**
     * The models' request for {@code prompt}, {@code height} px tall.
     *
     * @throws InvalidRequestException naming the value it refuses
     */
    GenerationRequest generation(String prompt, int height) {
        return diffusion.generation(prompt, guidance, seed, height, batch);
    }
}
