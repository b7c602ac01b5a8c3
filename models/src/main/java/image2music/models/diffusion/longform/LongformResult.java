package image2music.models.diffusion.longform;

import image2music.audio.longform.ClipPlan;
import image2music.audio.longform.SpectrogramStitcher;
import image2music.audio.spectrogram.Spectrogram;
import java.awt.image.BufferedImage;

/**
 * One long piece: the stitched spectrogram image and the spectrogram it encodes.
 *
 * @param image the whole piece's RGB spectrogram image, {@code plan.totalFrames()} px wide, on the
 *     fixed amplitude scale the clips were decoded with
 * @param spectrogram what {@code image} encodes (so the image alone reproduces the audio)
 * @param plan where the clips went
 * @param pinnedFrames frames at the start of each overlap the later clip was outpainted from (kept
 *     from the earlier clip; the cross-fade covers the rest)
 * @param clipSeeds the seed each clip's noise was drawn from, in clip order
 * @param seconds wall-clock time of text encoding, denoising, decoding and stitching
 */
public record LongformResult(
        BufferedImage image,
        Spectrogram spectrogram,
        ClipPlan plan,
        int pinnedFrames,
        long[] clipSeeds,
        double seconds) {

    /** The frames where one clip hands over to the next: the middle of each cross-fade. */
    public int[] joins() {
        return new SpectrogramStitcher(plan, pinnedFrames).joins();
    }
}
