package image2music.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.MalformedInputException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Raw JDK and Gson failure texts become plain words without class names. */
class ErrorTextTest {

    private static Throwable thrown(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("nothing thrown");
    }

    @Test
    void rawTextsReadAsPlainWords() {
        JsonObject o =
                JsonParser.parseString("{\"a\": {}, \"b\": \"x\", \"c\": 1}").getAsJsonObject();
        List<Throwable> raw =
                List.of(
                        new MalformedInputException(1),
                        thrown(() -> o.get("a").getAsInt()),
                        thrown(() -> o.get("b").getAsInt()),
                        thrown(() -> o.getAsJsonArray("c")),
                        thrown(() -> Math.multiplyExact(Long.MAX_VALUE, 2)),
                        thrown(() -> List.of().get(3)),
                        thrown(() -> JsonParser.parseString("{\"a\": ")),
                        new IllegalStateException(),
                        new java.io.IOException("Is a directory"));
        for (Throwable t : raw) {
            String words = ErrorText.of(t);
            assertFalse(words.matches(".*(Exception|Error|Json(Object|Array|Primitive)).*"), words);
            assertFalse(words.contains("Input length"), words);
            assertFalse(words.contains("For input string"), words);
            assertFalse(words.contains("\n"), words);
            assertFalse(words.isBlank(), t.toString());
        }
        assertEquals("not UTF-8 text", ErrorText.of(new MalformedInputException(1)));
        assertEquals("expected a number, got \"x\"", ErrorText.of(raw.get(2)));
    }

    @Test
    void fileSystemFailuresNameTheFileAndOwnMessagesAreKept() {
        assertEquals(
                "/x/y: is a directory",
                ErrorText.of(new FileSystemException("/x/y", null, "Is a directory")));
        assertEquals("a.json: bad", ErrorText.of(new java.io.IOException("a.json: bad")));
        assertEquals(
                "a.json: not UTF-8 text",
                ErrorText.in(Path.of("a.json"), new MalformedInputException(1)));
    }

    @Test
    void outputLimitsRefuseOverAnHourOrAGibibyteUnlessForced() throws Exception {
        Path out = Path.of("x.wav");
        OutputLimits.checkWav(out, 3600, 44100, 2, "--seconds 3600", false);
        OutputLimits.OutputTooLargeException e =
                assertThrows(
                        OutputLimits.OutputTooLargeException.class,
                        () -> OutputLimits.checkWav(out, 3601, 44100, 1, "--seconds 3601", false));
        assertTrue(
                e.getMessage().startsWith("x.wav: would be 60.0 min of 44100 Hz mono"),
                e.getMessage());
        // 30 min at 384 kHz stereo is 1.3 GiB.
        assertThrows(
                OutputLimits.OutputTooLargeException.class,
                () -> OutputLimits.checkWav(out, 1800, 384_000, 2, "EXIF", false));
        OutputLimits.checkWav(out, 1e6, 384_000, 2, "EXIF", true);
    }
}
