package image2music.models.vit;

import image2music.audio.dataset.Captions;
import java.util.Collection;

/**
 * Turns tagger labels into a text prompt in the form of the spectrogram dataset's captions: {@link
 * Captions#fromLabels}, the one caption rule, so generation conditioned on a prompt sees no gap
 * from training.
 */
public final class PromptBuilder {

    private PromptBuilder() {}

    /**
     * The caption for {@code labels}.
     *
     * @throws IllegalArgumentException if no label is left (all blank)
     */
    public static String caption(Collection<String> labels) {
        String caption = Captions.fromLabels(labels);
        if (caption.isEmpty()) {
            throw new IllegalArgumentException("A prompt needs at least one non-blank label");
        }
        return caption;
    }

    /** The caption for the labels of {@code scores}. */
    public static String fromScores(Collection<LabelScore> scores) {
        return caption(scores.stream().map(LabelScore::label).toList());
    }
}
