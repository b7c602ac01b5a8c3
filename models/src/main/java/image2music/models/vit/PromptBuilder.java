package image2music.models.vit;

import java.util.Collection;
import java.util.TreeSet;

/**
 * Turns tagger labels into a text prompt in the form of the spectrogram dataset's captions ({@code
 * metadata.csv}): the distinct labels in alphabetical order joined by {@code ", "}, e.g. {@code
 * "calm, gloomy"}. Generation conditioned on the same form as training sees no gap.
 */
public final class PromptBuilder {

    private PromptBuilder() {}

    /** The caption for {@code labels}. */
    public static String caption(Collection<String> labels) {
        TreeSet<String> sorted = new TreeSet<>();
        for (String l : labels) {
            String t = l.strip();
            if (!t.isEmpty()) {
                sorted.add(t);
            }
        }
        if (sorted.isEmpty()) {
            throw new IllegalArgumentException("A prompt needs at least one non-blank label");
        }
        return String.join(", ", sorted);
    }

    /** The caption for the labels of {@code scores}. */
    public static String fromScores(Collection<LabelScore> scores) {
        return caption(scores.stream().map(LabelScore::label).toList());
    }
}
