package image2music.core.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MediaLayoutTest {

    private static final String ABC_SHA256 =
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @ParameterizedTest
    @ValueSource(
            strings = {"calm", "lo fi beats", " padded ", "Ünïcödé", "drum&bass", "a.b", "..."})
    void acceptsLabelsVerbatim(String label) {
        assertEquals(label, MediaLayout.checkLabel(label));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                ".",
                "..",
                "a/b",
                "/",
                "a\\b",
                "calm, gloomy",
                "a\nb",
                "a\tb",
                "\u0000",
                "x\u007f",
                "a\u2028b"
            })
    void refusesUnsafeLabels(String label) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> MediaLayout.checkLabel(label));
        assertTrue(e.getMessage().contains("label"), e.getMessage());
    }

    @Test
    void namesFilesByLabelAndShaPrefix() {
        assertEquals(
                "lo fi/ba7816bf8f01cfea.mp3", MediaLayout.relativePath("lo fi", ABC_SHA256, "MP3"));
        assertEquals(
                "calm/ba7816bf8f01cfea.jpg", MediaLayout.relativePath("calm", ABC_SHA256, ".jpg"));
        assertThrows(
                IllegalArgumentException.class,
                () -> MediaLayout.relativePath("calm", ABC_SHA256, "x/y"));
        assertThrows(
                IllegalArgumentException.class,
                () -> MediaLayout.relativePath("a,b", ABC_SHA256, "jpg"));
    }

    @Test
    void hashesBytesAndFilesAlike(@TempDir Path dir) throws Exception {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        assertEquals(ABC_SHA256, MediaLayout.sha256Hex(abc));
        Path f = dir.resolve("abc.bin");
        Files.write(f, abc);
        assertEquals(ABC_SHA256, MediaLayout.sha256Hex(f));
    }

    @Test
    void resolvesOnlyInsideTheRoot(@TempDir Path root) {
        assertEquals(
                root.toAbsolutePath().resolve("calm/x.jpg"),
                MediaLayout.resolve(root, "calm/x.jpg"));
        assertThrows(IllegalArgumentException.class, () -> MediaLayout.resolve(root, "../x.jpg"));
        assertThrows(
                IllegalArgumentException.class,
                () -> MediaLayout.resolve(root, "calm/../../x.jpg"));
        assertThrows(
                IllegalArgumentException.class, () -> MediaLayout.resolve(root, "/etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> MediaLayout.resolve(root, "."));
    }
}
