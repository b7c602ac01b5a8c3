package image2music.app.cli.generate;

import image2music.app.cli.ProgressBars;
import image2music.models.vit.LabelScore;
import image2music.pipeline.progress.ProgressEvent;
import image2music.pipeline.progress.ProgressListener;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;

/**
 * The generation verbs' view of a running use case: one progress bar on stderr per clip (named
 * {@code "<unit> i/n"} when there are several), advanced after each denoising step, and a line on
 * stdout per tag set, resumed piece and written file. Close it once the run ends, however it ends.
 */
final class ProgressPrinter implements ProgressListener, AutoCloseable {

    private final PrintWriter out;
    private final PrintWriter err;
    private int clips = 1;
    private String unit = "image";
    private ProgressBar bar;
    private int clip = -1;

    ProgressPrinter(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public void on(ProgressEvent event) {
        // Java 17: no pattern switch yet, so instanceof in the order events come.
        if (event instanceof ProgressEvent.Started s) {
            clips = s.clips();
            unit = s.unit();
        } else if (event instanceof ProgressEvent.Step s) {
            step(s);
        } else if (event instanceof ProgressEvent.Tagged t) {
            out.println("labels: " + describe(t.tags().labels()));
            out.println("prompt: " + t.tags().prompt());
            out.flush();
        } else if (event instanceof ProgressEvent.Resumed r) {
            out.printf(
                    Locale.ROOT,
                    "resuming %s: %d of %d clips kept in %s%n",
                    r.output().getFileName(),
                    r.kept(),
                    r.clips(),
                    r.folder());
            out.flush();
        } else if (event instanceof ProgressEvent.Notice n) {
            err.println(n.message());
            err.flush();
        } else if (event instanceof ProgressEvent.Written w) {
            close();
            written(w);
        } else if (event instanceof ProgressEvent.Finished) {
            close();
        }
    }

    private void step(ProgressEvent.Step s) {
        if (s.clip() != clip) {
            close();
            clip = s.clip();
            bar =
                    ProgressBars.builder(
                                    clips == 1
                                            ? "denoising"
                                            : unit + " " + (clip + 1) + "/" + clips,
                                    s.steps())
                            .build();
        }
        bar.stepTo(s.step());
    }

    private void written(ProgressEvent.Written w) {
        if (w.reused()) {
            out.printf(Locale.ROOT, "kept %s (already done)%n", w.wav());
        } else if (w.alpha() != null) {
            out.printf(
                    Locale.ROOT,
                    "wrote %s (alpha %.3f, %.2f s)%n",
                    w.wav(),
                    w.alpha(),
                    w.seconds());
        } else {
            out.printf(Locale.ROOT, "wrote %s (%.2f s)%n", w.wav(), w.seconds());
        }
        out.flush();
    }

    private static String describe(List<LabelScore> labels) {
        List<String> parts = new ArrayList<>();
        for (LabelScore s : labels) {
            parts.add(String.format(Locale.ROOT, "%s %.2f", s.label(), s.probability()));
        }
        return String.join(", ", parts);
    }

    /** Closes the current bar, if any. */
    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
