package image2music.app.cli.train;

import image2music.app.cli.ProgressBars;
import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBar;

/**
 * A training run's progress: one bar over all steps (with the verb's message: loss, speed) and,
 * between its redraws, whole lines (epoch results, validation samples); without a bar the lines go
 * to the verb's error stream.
 */
final class TrainingProgressBar implements AutoCloseable {

    private final boolean enabled;
    private final PrintWriter err;
    private ProgressBar bar;

    TrainingProgressBar(boolean enabled, PrintWriter err) {
        this.enabled = enabled;
        this.err = err;
    }

    /** The run starts (or resumes) at {@code step} of {@code total}. */
    void started(long step, long total) {
        if (enabled) {
            bar = ProgressBars.builder("train", total).build();
            bar.stepTo(step);
        }
    }

    /** Step {@code step} is done; {@code message} follows the bar. */
    void step(long step, String message) {
        if (bar != null) {
            bar.stepTo(step);
            bar.setExtraMessage(message);
        }
    }

    /** A line of its own, below the bar. */
    void line(String line) {
        if (bar == null) {
            err.println(line);
            err.flush();
        } else {
            System.err.println();
            System.err.println(line);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
