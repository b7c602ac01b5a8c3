package image2music.pipeline;

import image2music.audio.spectrogram.SpectrogramParams;
import java.util.Locale;

/** Seconds shared by consecutive clips, turned into pixels on the model's latent grid. */
public final class Overlap {

    private Overlap() {}

    /**
     * The overlap in pixels: a multiple of {@code pixelsPerLatent} (so the shared part is whole
     * latent columns), shorter than a clip of {@code width} px; {@code seconds} null means a
     * quarter of a clip.
     *
     * @throws InvalidRequestException if the overlap is negative or not shorter than a clip
     */
    public static int pixels(
            Double seconds, int width, int pixelsPerLatent, SpectrogramParams params) {
        int px;
        if (seconds == null) {
            px = width / 4 / pixelsPerLatent * pixelsPerLatent;
        } else {
            if (!(seconds >= 0) || Double.isInfinite(seconds)) {
                throw new InvalidRequestException("--overlap must be >= 0 seconds, got " + seconds);
            }
            double frames = seconds * params.sampleRate() / params.hopLength();
            px = (int) Math.round(frames / pixelsPerLatent) * pixelsPerLatent;
        }
        if (px >= width) {
            throw new InvalidRequestException(
                    String.format(
                            Locale.ROOT,
                            "--overlap %s (%d px) must be shorter than a clip of --width %d px",
                            seconds == null ? "" : seconds + " s",
                            px,
                            width));
        }
        return px;
    }
}
