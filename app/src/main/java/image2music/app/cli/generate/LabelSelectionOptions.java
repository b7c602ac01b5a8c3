package image2music.app.cli.generate;

import image2music.pipeline.ImageToMusicRequest;
import picocli.CommandLine.Option;

/**
 * Which of a tagger's labels a verb keeps: {@code --top-k} and {@code --threshold}, with the
 * defaults of {@link ImageToMusicRequest}.
 */
public final class LabelSelectionOptions {

    @Option(
            names = "--top-k",
            paramLabel = "K",
            defaultValue = "" + ImageToMusicRequest.DEFAULT_TOP_K,
            description = "At most this many labels per image (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(
            names = "--threshold",
            paramLabel = "P",
            defaultValue = "" + ImageToMusicRequest.DEFAULT_THRESHOLD,
            description =
                    "Only labels at least this probable; the most probable is always kept"
                            + " (default: ${DEFAULT-VALUE}).")
    float threshold;

    /**
     * @throws IllegalArgumentException naming the option whose value is out of range
     */
    void check() {
        if (topK < 1) {
            throw new IllegalArgumentException("--top-k must be >= 1, got " + topK);
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("--threshold must be in [0, 1], got " + threshold);
        }
    }
}
