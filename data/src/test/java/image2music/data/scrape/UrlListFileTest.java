package image2music.data.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UrlListFileTest {

    @TempDir Path dir;

    @Test
    void readsLabelledLinesSkippingCommentsAndBlanks() throws Exception {
        Path f = dir.resolve("urls.txt");
        Files.writeString(
                f,
                "# my list\n\nbright sunny\thttps://youtu.be/a\ncalm\thttps://y/b\n"
                        + "bright sunny\thttps://y/c\n");
        assertEquals(
                Map.of(
                        "bright sunny",
                        List.of("https://youtu.be/a", "https://y/c"),
                        "calm",
                        List.of("https://y/b")),
                UrlListFile.read(f, null));
    }

    @Test
    void bareUrlsTakeTheDefaultLabel() throws Exception {
        Path f = dir.resolve("urls.txt");
        Files.writeString(f, "https://y/a\nstorm\thttps://y/b\n");
        assertEquals(
                Map.of("calm", List.of("https://y/a"), "storm", List.of("https://y/b")),
                UrlListFile.read(f, "calm"));
    }

    @Test
    void errorsNameFileAndLine() throws Exception {
        Path f = dir.resolve("urls.txt");
        Files.writeString(f, "calm\thttps://y/a\nhttps://y/b\n");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> UrlListFile.read(f, null));
        assertTrue(e.getMessage().startsWith(f + ":2: "), e.getMessage());
        Files.writeString(f, "a,b\thttps://y/a\n");
        assertTrue(
                assertThrows(IllegalArgumentException.class, () -> UrlListFile.read(f, null))
                        .getMessage()
                        .startsWith(f + ":1: label 'a,b'"));
        Files.writeString(f, "calm\tftp://y/a\n");
        assertThrows(IllegalArgumentException.class, () -> UrlListFile.read(f, null));
    }
}
