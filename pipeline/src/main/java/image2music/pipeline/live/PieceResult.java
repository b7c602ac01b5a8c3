package image2music.pipeline.live;

import image2music.audio.Audio;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A stretch of an {@link EndlessPiece} made by {@link LiveGenerator#play}.
 *
 * @param clips the clips made
 * @param image their spectrogram images joined as a long piece's
 * @param audio the stretch with the piece ended after it (to hear or keep on its own)
 * @param stream the stretch without the ending: played back to back with the stream of the stretch
 *     before and after it, the piece has no seam
 */
public record PieceResult(List<PieceClip> clips, BufferedImage image, Audio audio, Audio stream) {}
