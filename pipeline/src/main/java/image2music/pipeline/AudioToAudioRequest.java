package image2music.pipeline;

import java.nio.file.Path;

/**
 * Audio to audio: music restyled with a prompt (img2img on its spectrogram), window by window so
 * input of any length comes back at its length, optionally only where a mask says.
 *
 * @param model the generator's diffusers pipeline folder
 * @param input the music: audio (any format FFmpeg reads) or a spectrogram image ({@code .png},
 *     Riffusion format with EXIF parameters), told apart by {@link #inputIsImage}
 * @param inputIsImage whether {@code input} is a spectrogram image
 * @param prompt the style to move toward
 * @param guidance classifier-free guidance scale
 * @param seed the noise seed
 * @param diffusion steps, scheduler, window width, negative prompt
 * @param strength how far each window is noised, 0 (kept) to 1 (regenerated)
 * @param mask regenerate only the white pixels of this image (the input spectrogram's size), or
 *     null
 * @param maskSeconds regenerate only this time span (with {@code maskHz}: only the band within it),
 *     or null
 * @param maskHz regenerate only the mel rows reaching into this band, or null
 * @param overlapSeconds seconds shared by consecutive windows; null for a quarter of a window
 * @param out {@code X.wav}, with {@code X.png} and {@code X.json} beside it
 * @param force write a result over {@link image2music.core.io.OutputLimits}' bound (an hour, 1 GiB)
 *     too
 */
public record AudioToAudioRequest(
        Path model,
        Path input,
        boolean inputIsImage,
        String prompt,
        double guidance,
        long seed,
        DiffusionSettings diffusion,
        double strength,
        Path mask,
        Span maskSeconds,
        Span maskHz,
        Double overlapSeconds,
        Path out,
        boolean force) {

    /** How far the input is noised when nothing else is asked. */
    public static final double DEFAULT_STRENGTH = 0.5;

    /**
     * @throws InvalidRequestException if {@code out} is not a WAV, a mask is given twice or the
     *     strength is out of [0, 1]
     */
    public AudioToAudioRequest {
        ResultFiles.checkWav(out);
        if (!(strength >= 0 && strength <= 1)) {
            throw new InvalidRequestException("--strength must be in [0, 1], got " + strength);
        }
        if (mask != null && (maskSeconds != null || maskHz != null)) {
            throw new InvalidRequestException(
                    "--mask and --mask-seconds/--mask-hz exclude each other");
        }
        OutputGuard.refuseOverwritingInputs(
                out, inputIsImage ? "--image" : "--audio", input, "--mask", mask);
    }

    /** A request that keeps to {@link image2music.core.io.OutputLimits} (no {@code --force}). */
    public AudioToAudioRequest(
            Path model,
            Path input,
            boolean inputIsImage,
            String prompt,
            double guidance,
            long seed,
            DiffusionSettings diffusion,
            double strength,
            Path mask,
            Span maskSeconds,
            Span maskHz,
            Double overlapSeconds,
            Path out) {
        this(
                model,
                input,
                inputIsImage,
                prompt,
                guidance,
                seed,
                diffusion,
                strength,
                mask,
                maskSeconds,
                maskHz,
                overlapSeconds,
                out,
                false);
    }

    /**
     * The whole of {@code audio} restyled toward {@code prompt} with the defaults (strength {@value
     * #DEFAULT_STRENGTH}, guidance {@value DiffusionSettings#DEFAULT_GUIDANCE}).
     */
    public static AudioToAudioRequest of(
            Path model, Path audio, String prompt, long seed, Path out) {
        return new AudioToAudioRequest(
                model,
                audio,
                false,
                prompt,
                DiffusionSettings.DEFAULT_GUIDANCE,
                seed,
                DiffusionSettings.defaults(),
                DEFAULT_STRENGTH,
                null,
                null,
                null,
                null,
                out);
    }

    /** This with diffusion settings {@code d}. */
    public AudioToAudioRequest withDiffusion(DiffusionSettings d) {
        return new AudioToAudioRequest(
                model,
                input,
                inputIsImage,
                prompt,
                guidance,
                seed,
                d,
                strength,
                mask,
                maskSeconds,
                maskHz,
                overlapSeconds,
                out,
                force);
    }
}
