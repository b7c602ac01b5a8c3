package image2music.pipeline.live;

import image2music.audio.Audio;
import java.awt.image.BufferedImage;

/**
 * One clip of an {@link EndlessPiece}.
 *
 * @param index the clip's place in the piece, from 0
 * @param image its spectrogram image, as generated
 * @param stream the stretch of the piece that follows the previous clip's stream without a seam: to
 *     be played back to back with it
 * @param prompt the prompt the piece plays or moves to
 * @param morph how far from the previous prompt to {@code prompt} this clip was made (1: there)
 * @param seed the clip's noise seed
 */
public record PieceClip(
        int index, BufferedImage image, Audio stream, String prompt, double morph, long seed) {}
