package image2music.pipeline;

import image2music.models.vit.LabelScore;
import java.util.List;

/**
 * What the tagger saw in a picture and the prompt made of it.
 *
 * @param labels the chosen mood labels, most probable first
 * @param prompt their caption, in the form of the training captions ({@code "calm, gloomy"})
 */
public record ImageTags(List<LabelScore> labels, String prompt) {

    public ImageTags {
        labels = List.copyOf(labels);
    }
}
