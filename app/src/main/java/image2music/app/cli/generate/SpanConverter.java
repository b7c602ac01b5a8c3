package image2music.app.cli.generate;

import image2music.pipeline.Span;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses a {@link Span} option ({@code FROM:TO}) for picocli. */
final class SpanConverter implements ITypeConverter<Span> {
    @Override
    public Span convert(String value) {
        try {
            return Span.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
