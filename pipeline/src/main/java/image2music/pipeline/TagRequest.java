package image2music.pipeline;

import java.nio.file.Path;
import java.util.List;

/**
 * Tagging: mood labels for pictures from a ViT classifier folder.
 *
 * @param tagger the ViT classifier folder
 * @param images the pictures, tagged in this order
 * @param topK at most this many labels per picture
 * @param threshold only labels at least this probable (the most probable is always kept)
 */
public record TagRequest(Path tagger, List<Path> images, int topK, float threshold) {

    /**
     * @throws IllegalArgumentException naming the option whose value is out of range
     */
    public TagRequest {
        images = List.copyOf(images);
        ImageToMusicRequest.checkSelection(topK, threshold);
    }

    /** The pictures with the default selection of {@link ImageToMusicRequest}. */
    public static TagRequest of(Path tagger, List<Path> images) {
        return new TagRequest(
                tagger,
                images,
                ImageToMusicRequest.DEFAULT_TOP_K,
                ImageToMusicRequest.DEFAULT_THRESHOLD);
    }
}
