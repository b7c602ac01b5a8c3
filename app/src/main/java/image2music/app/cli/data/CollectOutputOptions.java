package image2music.app.cli.data;

import image2music.data.media.CollectSummary;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** How the scrape and import verbs report: per-label progress bars and the closing summary. */
public final class CollectOutputOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--no-progress", description = "No progress bars.")
    boolean noProgress;

    @Option(names = "--json", description = "Print the summary as one JSON object.")
    boolean json;

    /** Progress bars on stderr, unless {@code --no-progress}. */
    LabelProgress progress() {
        return new LabelProgress(!noProgress, mixee.commandLine().getErr());
    }

    /** The summary on stdout, as text or one JSON object. */
    void print(CollectSummary summary) {
        Summaries.print(summary, json, mixee.commandLine().getOut());
    }
}
