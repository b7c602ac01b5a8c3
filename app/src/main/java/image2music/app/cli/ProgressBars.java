package image2music.app.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress bars of every verb, on stderr: redrawn in place ({@code \r}) on a terminal; when
 * stderr is a file or a pipe (a log), plain lines every {@value #LOG_INTERVAL_MILLIS} ms instead,
 * so the log holds readable lines rather than hundreds of carriage-return redraws.
 */
public final class ProgressBars {

    /** How often a bar writes a line into a log. */
    static final int LOG_INTERVAL_MILLIS = 10_000;

    private static final int TERMINAL_INTERVAL_MILLIS = 250;

    private ProgressBars() {}

    /** A bar for {@code task} up to {@code max}, drawn on {@link System#err}. */
    public static ProgressBarBuilder builder(String task, long max) {
        PrintStream err = new PrintStream(System.err, true);
        return builder(task, max, stderrIsTerminal(), err);
    }

    /** As {@link #builder(String, long)} for a given kind of stream (tests). */
    static ProgressBarBuilder builder(String task, long max, boolean terminal, PrintStream err) {
        ProgressBarBuilder b =
                new ProgressBarBuilder()
                        .setTaskName(task)
                        .setInitialMax(max)
                        .setStyle(ProgressBarStyle.ASCII);
        if (terminal) {
            return b.setConsumer(new ConsoleProgressBarConsumer(err))
                    .setUpdateIntervalMillis(TERMINAL_INTERVAL_MILLIS);
        }
        return b.setConsumer(new LineConsumer(err)).setUpdateIntervalMillis(LOG_INTERVAL_MILLIS);
    }

    /**
     * Whether stderr is a terminal. Java 17 has no isatty for stderr alone ({@code System.console}
     * looks at stdin and stdout), so on Linux the descriptor's target is read; elsewhere the
     * console stands in for it.
     */
    public static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/")
                    || target.startsWith("/dev/tty")
                    || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    /**
     * Writes each rendering as a line of its own, skipping repeats of the same progress (the bar's
     * final rendering on close differs from the last periodic one only in its elapsed time).
     */
    static final class LineConsumer implements ProgressBarConsumer {
        private final PrintStream out;
        private String last;

        LineConsumer(PrintStream out) {
            this.out = out;
        }

        @Override
        public int getMaxRenderedLength() {
            return 120;
        }

        @Override
        public synchronized void accept(String rendered) {
            String line = rendered.replace("\r", "").strip();
            String progress = withoutTimes(line);
            if (!line.isEmpty() && !progress.equals(last)) {
                out.println(line);
                out.flush();
                last = progress;
            }
        }

        /** {@code line} without its trailing "(elapsed / remaining)" part. */
        private static String withoutTimes(String line) {
            int open = line.lastIndexOf(" (");
            return line.endsWith(")") && open > 0 ? line.substring(0, open) : line;
        }

        @Override
        public void close() {
            out.flush();
        }
    }
}
