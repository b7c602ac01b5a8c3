package image2music.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Refuses a request whose results would overwrite one of its inputs: {@code --out X.wav} writes
 * {@code X.wav}, {@code X.png} and {@code X.json} (a batch {@code X-000.wav}, …), so an input named
 * like any of them, found by real path (links followed), would be lost.
 */
final class OutputGuard {

    private OutputGuard() {}

    /**
     * @param out the {@code --out X.wav} of the request
     * @param inputs option and path pairs: {@code "--image", image, "--mask", mask}; null paths are
     *     skipped
     * @throws InvalidRequestException naming the input that a result would overwrite
     */
    static void refuseOverwritingInputs(Path out, Object... inputs) {
        String name = out.getFileName().toString();
        String stem = name.substring(0, name.length() - ".wav".length());
        Pattern results =
                Pattern.compile(
                        Pattern.quote(stem.toLowerCase(Locale.ROOT))
                                + "(-[0-9]{3,})?\\.(wav|png|json)");
        Path outDir = realParent(out);
        for (int i = 0; i + 1 < inputs.length; i += 2) {
            String option = (String) inputs[i];
            Path input = (Path) inputs[i + 1];
            if (input == null || !Files.exists(input)) {
                continue;
            }
            Path real = real(input);
            String inName = real.getFileName().toString().toLowerCase(Locale.ROOT);
            if (real.getParent().equals(outDir) && results.matcher(inName).matches()) {
                throw new InvalidRequestException(
                        "--out "
                                + out
                                + " would overwrite the input "
                                + option
                                + " "
                                + input
                                + ": choose another --out");
            }
        }
    }

    private static Path realParent(Path out) {
        Path parent = out.toAbsolutePath().getParent();
        return Files.exists(parent) ? real(parent) : parent.normalize();
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": " + e.getMessage(), e);
        }
    }
}
