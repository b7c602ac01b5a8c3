package image2music.app.cli.generate;

import image2music.pipeline.ImageToMusicRequest;
import picocli.CommandLine.Option;

/**
 * Which of a tagger's labels a verb keeps: {@code --top-k} and {@code --threshold}, with the
 * defaults of {@link ImageToMusicRequest}; the requests check their values.
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
}
