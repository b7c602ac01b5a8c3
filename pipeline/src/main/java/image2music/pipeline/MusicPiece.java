package image2music.pipeline;

import image2music.audio.Audio;
import image2music.models.diffusion.longform.LongformResult;
import java.awt.image.BufferedImage;

/**
 * One generated result: its spectrogram image and the audio inverted from it.
 *
 * @param image the RGB spectrogram image (Riffusion format, default amplitude scale)
 * @param audio the image inverted to audio
 * @param seed the seed that reproduces it (its first clip's, for a long piece)
 * @param longform how a long piece was laid out and seeded; null for a single clip
 * @param generateSeconds wall-clock time of text encoding, denoising and decoding
 * @param audioSeconds wall-clock time of the inversion to audio
 */
public record MusicPiece(
        BufferedImage image,
        Audio audio,
        long seed,
        LongformResult longform,
        double generateSeconds,
        double audioSeconds) {}
