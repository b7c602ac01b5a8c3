package image2music.audio.dataset;

import java.util.Collection;
import java.util.TreeSet;

/**
 * The one caption rule, shared by the dataset's captions ({@code metadata.csv}) and the prompts
 * made of a tagger's labels ({@code image2music.models.vit.PromptBuilder} delegates here), so a
 * generator is conditioned at inference on exactly the form it was trained on.
 */
public final class Captions {

    private Captions() {}

    /**
     * The distinct labels, stripped of surrounding blanks and without blank ones, in alphabetical
     * order joined by ", ", e.g. {@code "calm, gloomy"}; "" when no label is left.
     */
    public static String fromLabels(Collection<String> labels) {
        TreeSet<String> sorted = new TreeSet<>();
        for (String l : labels) {
            String t = l.strip();
            if (!t.isEmpty()) {
                sorted.add(t);
            }
        }
        return String.join(", ", sorted);
    }
}
