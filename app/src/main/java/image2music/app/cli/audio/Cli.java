package image2music.app.cli.audio;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Locale;

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
