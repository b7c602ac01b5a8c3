package image2music.pipeline;

import image2music.models.vit.LabelScore;
import image2music.models.vit.PromptBuilder;
import image2music.models.vit.RgbImage;
import image2music.models.vit.ViTTagger;
import java.util.List;

/**
 * The first half of a picture to music: the ViT tagger's mood labels for the picture and their
 * caption as the prompt (the form the generator was trained on); {@link TextToMusic} makes the
 * music of that prompt.
 */
public final class ImageToMusic {

    private final ViTTagger tagger;

    public ImageToMusic(ViTTagger tagger) {
        this.tagger = tagger;
    }

    /**
     * The picture's labels (at most {@code topK}, those at least {@code threshold} probable, and
     * always the most probable one) and the prompt made of them.
     */
    public ImageTags tags(RgbImage picture, int topK, float threshold) {
        List<LabelScore> ranked = tagger.tag(List.of(picture)).get(0);
        List<LabelScore> chosen = ViTTagger.select(ranked, topK, threshold);
        return new ImageTags(chosen, PromptBuilder.fromScores(chosen));
    }
}
