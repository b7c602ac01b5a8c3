package image2music.app.cli;

import image2music.data.media.CollectSummary;
import java.io.PrintWriter;

/** Prints a collection summary as text lines or one JSON object. */
final class Summaries {

    private Summaries() {}

    static void print(CollectSummary summary, boolean json, PrintWriter out) {
        if (json) {
            out.println(summary.toJson());
        } else {
            summary.lines().forEach(out::println);
        }
        out.flush();
    }
}
