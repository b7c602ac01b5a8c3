package image2music.pipeline;

import java.nio.file.Path;

/**
 * Image to music: the tagger's mood labels for a picture become the prompt of text to music.
 *
 * @param tagger the ViT classifier folder
 * @param image the picture
 * @param topK at most this many labels
 * @param threshold only labels at least this probable (the most probable is always kept)
 * @param music the generator, sampling, length and output
 */
public record ImageToMusicRequest(
        Path tagger, Path image, int topK, float threshold, MusicSettings music) {

    /** Default label count. */
    public static final int DEFAULT_TOP_K = 3;

    /** Default label probability threshold. */
    public static final float DEFAULT_THRESHOLD = 0.5f;

    /**
     * @throws InvalidRequestException naming the option whose value is out of range
     */
    public ImageToMusicRequest {
        checkSelection(topK, threshold);
        if (music != null) {
            OutputGuard.refuseOverwritingInputs(music.out(), "--image", image);
        }
    }

    /**
     * @throws InvalidRequestException naming the option whose value is out of range
     */
    public static void checkSelection(int topK, float threshold) {
        if (topK < 1) {
            throw new InvalidRequestException("--top-k must be >= 1, got " + topK);
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new InvalidRequestException("--threshold must be in [0, 1], got " + threshold);
        }
    }

    /** The picture's music with the default label selection and {@code music}. */
    public static ImageToMusicRequest of(Path tagger, Path image, MusicSettings music) {
        return new ImageToMusicRequest(tagger, image, DEFAULT_TOP_K, DEFAULT_THRESHOLD, music);
    }
}
