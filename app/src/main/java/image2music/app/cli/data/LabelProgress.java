package image2music.app.cli.data;

import image2music.data.media.CollectListener;
import java.io.PrintStream;
import java.io.PrintWriter;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Shows one progress bar per label on stderr while collecting, and notes as lines. */
public final class LabelProgress implements CollectListener {

    private final boolean bars;
    private final PrintWriter err;
    private ProgressBar bar;

    LabelProgress(boolean bars, PrintWriter err) {
        this.bars = bars;
        this.err = err;
    }

    @Override
    public synchronized void labelStarted(String label, int target, int alreadyKept) {
        if (!bars) {
            return;
        }
        bar =
                new ProgressBarBuilder()
                        .setTaskName(label)
                        .setInitialMax(target)
                        .setStyle(ProgressBarStyle.ASCII)
                        .setConsumer(
                                new ConsoleProgressBarConsumer(new PrintStream(System.err, true)))
                        .setUpdateIntervalMillis(250)
                        .hideEta()
                        .build();
        bar.stepTo(Math.min(target, alreadyKept));
    }

    @Override
    public synchronized void progress(String label, int kept) {
        if (bar != null) {
            bar.stepTo(Math.min(bar.getMax(), kept));
        }
    }

    @Override
    public synchronized void labelFinished(String label) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    @Override
    public synchronized void note(String message) {
        err.println("note: " + message);
        err.flush();
    }
}
