package image2music.app.cli;

import java.io.PrintStream;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How log lines (slf4j-simple, on stderr) reach a user of the CLI. Without {@code --verbose}: no
 * library's log lines at all below ERROR, and our own warnings as plain {@code warning: ...} lines
 * (no thread or logger name). With {@code --verbose}: everything from INFO up in full, each warning
 * or error at most once (DJL logs its CUDA probe failure from two call sites, for example). Must
 * run before the first logger is created.
 */
final class LogSetup {

    private static final String PREFIX = "org.slf4j.simpleLogger.";

    /** A logger's line as slf4j-simple writes it with the thread shown. */
    private static final Pattern LOG_LINE = Pattern.compile("^\\[[^\\]]*\\] (WARN|ERROR) .*");

    private LogSetup() {}

    static void configure(boolean verbose) {
        System.setProperty(PREFIX + "logFile", "System.err");
        if (verbose) {
            System.setProperty(PREFIX + "defaultLogLevel", "info");
            System.setErr(new OncePerWarning(System.err));
        } else {
            System.setProperty(PREFIX + "defaultLogLevel", "error");
            System.setProperty(PREFIX + "log.image2music", "warn");
            System.setProperty(PREFIX + "showThreadName", "false");
            System.setProperty(PREFIX + "showLogName", "false");
            System.setProperty(PREFIX + "showShortLogName", "false");
            System.setErr(new PlainLevels(System.err));
        }
    }

    /** Whether the CLI runs with {@code --verbose} (INFO logging) as {@link #configure} set it. */
    static boolean verbose() {
        return "info".equals(System.getProperty(PREFIX + "defaultLogLevel"));
    }

    /**
     * Stderr on which a log line's level (slf4j-simple writes {@code "WARN message"} without thread
     * and logger names) reads as our other messages do: {@code "warning: message"}.
     */
    static final class PlainLevels extends PrintStream {

        PlainLevels(PrintStream err) {
            super(err, true);
        }

        @Override
        public void println(String line) {
            if (line != null && line.startsWith("WARN ")) {
                line = "warning: " + line.substring(5);
            } else if (line != null && line.startsWith("ERROR ")) {
                line = "error: " + line.substring(6);
            }
            super.println(line);
        }
    }

    /** Stderr that drops a log warning or error it has already printed. */
    static final class OncePerWarning extends PrintStream {
        private final Set<String> seen = new HashSet<>();

        OncePerWarning(PrintStream err) {
            super(err, true);
        }

        @Override
        public void println(String line) {
            if (line != null && LOG_LINE.matcher(line).matches()) {
                synchronized (seen) {
                    if (!seen.add(line)) {
                        return;
                    }
                }
            }
            super.println(line);
        }
    }
}
