package image2music.app.cli;

import image2music.core.io.ErrorText;
import image2music.pipeline.InvalidRequestException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns any failure of a verb into one line on stderr naming the file and the problem, and exit
 * code 1. The stack trace is printed only with {@code --verbose}. A request the application layer
 * refuses as inconsistent ({@link InvalidRequestException}) is a usage error, reported as picocli
 * reports one (exit code 2).
 */
public final class ErrorHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed)
            throws Exception {
        if (ex instanceof InvalidRequestException e) {
            return cl.getParameterExceptionHandler()
                    .handleParseException(
                            new ParameterException(cl, e.getMessage(), e),
                            parsed.originalArgs().toArray(String[]::new));
        }
        boolean verbose = parsed.hasMatchedOption("--verbose") || hasVerbose(parsed);
        cl.getErr().println("error: " + describe(ex));
        if (verbose) {
            ex.printStackTrace(cl.getErr());
        }
        cl.getErr().flush();
        return 1;
    }

    private static boolean hasVerbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /**
     * A one-line description of {@code t}: our own messages as they are, the JDK's and Gson's raw
     * texts in plain words ({@link ErrorText}).
     */
    public static String describe(Throwable t) {
        return ErrorText.of(t);
    }
}
