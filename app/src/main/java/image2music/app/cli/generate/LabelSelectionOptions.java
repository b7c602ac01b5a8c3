package image2music.app.cli.generate;

import picocli.CommandLine.Option;

/** Which of a tagger's labels a verb keeps: {@code --top-k} and {@code --threshold}. */
public final class LabelSelectionOptions {

    @Option(
            names = "--top-k",
            paramLabel = "K",
            defaultValue = "3",
            description = "At most this many labels per image (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(
            names = "--threshold",
            paramLabel = "P",
            defaultValue = "0.5",
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
