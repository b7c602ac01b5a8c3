package image2music.audio.dataset;

import java.util.Collection;
import java.util.TreeSet;

/** The caption form shared by dataset captions and generation prompts. */
public final class Captions {

    private Captions() {}

    /** The distinct labels in alphabetical order joined by ", ", e.g. {@code "calm, gloomy"}. */
    public static String fromLabels(Collection<String> labels) {
        return String.join(", ", new TreeSet<>(labels));
    }
}
