package image2music.app.cli.data;

import image2music.data.media.CollectSummary;
import java.io.PrintWriter;

/** Prints a collection summary as text lines or one JSON object. */
public final class Summaries {

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
