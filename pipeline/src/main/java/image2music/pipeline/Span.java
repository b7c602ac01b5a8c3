package image2music.pipeline;

import java.util.Locale;

/**
 * A range {@code FROM:TO} (seconds or hertz), {@code 0 <= from < to}.
 *
 * @param from where it starts
 * @param to where it ends
 */
public record Span(double from, double to) {

    /**
     * @throws IllegalArgumentException unless {@code 0 <= from < to < infinity}
     */
    public Span {
        if (!(from >= 0 && to > from && !Double.isInfinite(to))) {
            throw new IllegalArgumentException(
                    String.format(Locale.ROOT, "need 0 <= from < to, got %s:%s", from, to));
        }
    }

    /**
     * Parses {@code FROM:TO}.
     *
     * @throws IllegalArgumentException naming the value and the expected form
     */
    public static Span parse(String value) {
        String[] parts = value.split(":", -1);
        if (parts.length == 2) {
            try {
                return new Span(
                        Double.parseDouble(parts[0].strip()), Double.parseDouble(parts[1].strip()));
            } catch (IllegalArgumentException e) {
                // Reported below with the expected form (NumberFormatException included).
            }
        }
        throw new IllegalArgumentException(
                String.format(
                        Locale.ROOT,
                        "'%s' is not a range FROM:TO with 0 <= FROM < TO (e.g. 2.5:4)",
                        value));
    }

    /** {@code FROM:TO} as sidecars record it. */
    @Override
    public String toString() {
        return from + ":" + to;
    }
}
