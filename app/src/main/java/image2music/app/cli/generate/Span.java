package image2music.app.cli.generate;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A range {@code FROM:TO} on the command line (seconds or hertz), {@code 0 <= from < to}.
 *
 * @param from where it starts
 * @param to where it ends
 */
public record Span(double from, double to) {

    /** Parses {@code FROM:TO} for picocli. */
    static final class Converter implements ITypeConverter<Span> {
        @Override
        public Span convert(String value) {
            String[] parts = value.split(":", -1);
            if (parts.length == 2) {
                try {
                    double from = Double.parseDouble(parts[0].strip());
                    double to = Double.parseDouble(parts[1].strip());
                    if (from >= 0 && to > from && !Double.isInfinite(to)) {
                        return new Span(from, to);
                    }
                } catch (NumberFormatException e) {
                    // Reported below with the expected form.
                }
            }
            throw new TypeConversionException(
                    String.format(
                            Locale.ROOT,
                            "'%s' is not a range FROM:TO with 0 <= FROM < TO (e.g. 2.5:4)",
                            value));
        }
    }
}
