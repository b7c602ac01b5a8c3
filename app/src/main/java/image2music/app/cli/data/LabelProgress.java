package image2music.app.cli.data;

import image2music.app.cli.ProgressBars;
import image2music.data.media.CollectListener;
import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBar;

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
        bar = ProgressBars.builder(label, target).hideEta().build();
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
