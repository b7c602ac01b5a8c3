package image2music.models.diffusion.longform;

import image2music.audio.longform.ClipPlan;
import image2music.audio.spectrogram.Spectrogram;
import java.awt.image.BufferedImage;

/**
 * One long piece: the stitched spectrogram image and the spectrogram it encodes.
 *
 * @param image the whole piece's RGB spectrogram image, {@code plan.totalFrames()} px wide, on the
 *     fixed amplitude scale the clips were decoded with
 * @param spectrogram what {@code image} encodes (so the image alone reproduces the audio)
 * @param plan where the clips went
 * @param clipSeeds the seed each clip's noise was drawn from, in clip order
 * @param seconds wall-clock time of text encoding, denoising, decoding and stitching
 */
public record LongformResult(
        BufferedImage image,
        Spectrogram spectrogram,
        ClipPlan plan,
        long[] clipSeeds,
        double seconds) {

    /** The frames where one clip hands over to the next: the middle of each overlap. */
    public int[] joins() {
        int[] joins = new int[plan.clipCount() - 1];
        for (int i = 1; i < plan.clipCount(); i++) {
            joins[i - 1] = plan.start(i) + plan.overlap() / 2;
        }
        return joins;
    }
}
