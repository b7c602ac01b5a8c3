package image2music.app.cli.audio;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Small helpers shared by the verbs. */
public final class Cli {

    private Cli() {}

    static boolean isImagePath(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
    }

    static boolean hasExtension(Path p, String ext) {
        return p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(ext);
    }

    /**
     * Refuses an output that is the input file itself (same file by real path, links followed):
     * writing it would destroy the input.
     *
     * @throws ParameterException a usage error naming both options
     */
    static void refuseSameFile(
            CommandSpec spec, String outOption, Path out, String inOption, Path in)
            throws IOException {
        if (in != null && Files.exists(in) && Files.exists(out) && Files.isSameFile(in, out)) {
            throw new ParameterException(
                    spec.commandLine(),
                    outOption
                            + " "
                            + out
                            + " is the input "
                            + inOption
                            + " "
                            + in
                            + ": refusing to overwrite it");
        }
    }

    /** Integers as integers, other numbers as Python prints floats (14294572.0, 0.25). */
    static String number(Number v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short) {
            return v.toString();
        }
        double d = v.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return Double.toString(d);
        }
        String s = BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        return s.contains(".") ? s : s + ".0";
    }
}
