package image2music.pipeline.demo;

import image2music.pipeline.evaluate.Evaluation;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the demo made.
 *
 * @param report {@code report.html}
 * @param summary {@code demo.json}
 * @param tagger the trained tagger folder
 * @param generator the trained generator folder
 * @param clips one per held-out picture
 * @param stageSeconds seconds per stage run (0 for a skipped one), in order
 * @param command the {@code image-to-music} command that uses the trained models
 * @param evaluation what {@code evaluate} measured ({@code evaluation.json})
 */
public record DemoResult(
        Path report,
        Path summary,
        Path tagger,
        Path generator,
        List<Clip> clips,
        Map<String, Double> stageSeconds,
        String command,
        Evaluation evaluation) {

    public DemoResult {
        clips = List.copyOf(clips);
        stageSeconds = Collections.unmodifiableMap(new LinkedHashMap<>(stageSeconds));
    }

    /**
     * The music of one held-out picture.
     *
     * @param name the clip's name: {@code clips/<name>.wav}, {@code .png}, {@code .json}
     * @param image the picture's copy under the demo folder
     * @param mood the picture's true mood
     * @param predicted the tagger's labels with their probabilities, most probable first
     * @param prompt the prompt made of them
     * @param wav the music
     * @param seconds its length
     */
    public record Clip(
            String name,
            Path image,
            String mood,
            List<Map.Entry<String, Double>> predicted,
            String prompt,
            Path wav,
            double seconds) {

        public Clip {
            predicted = List.copyOf(predicted);
        }
    }
}
