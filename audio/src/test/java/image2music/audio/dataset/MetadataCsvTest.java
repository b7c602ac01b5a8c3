package image2music.audio.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataCsvTest {

    @Test
    void quotesFieldsWithCommasQuotesAndLineBreaks(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("metadata.csv");
        MetadataCsv.write(
                csv,
                List.of(
                        new MetadataCsv.Row("a.png", "calm"),
                        new MetadataCsv.Row("b.png", "calm, gloomy"),
                        new MetadataCsv.Row("c.png", "say \"hi\""),
                        new MetadataCsv.Row("d.png", "two\nlines")));
        assertEquals(
                "file_name,text\r\n"
                        + "a.png,calm\r\n"
                        + "b.png,\"calm, gloomy\"\r\n"
                        + "c.png,\"say \"\"hi\"\"\"\r\n"
                        + "d.png,\"two\nlines\"\r\n",
                Files.readString(csv, StandardCharsets.UTF_8));
    }

    @Test
    void captionsAreSortedDistinctLabels() {
        assertEquals(
                "bright sunny, calm", Captions.fromLabels(List.of("calm", "bright sunny", "calm")));
    }

    @Test
    void captionsIgnoreSurroundingAndBlankLabelsAsPromptsDo() {
        // The prompt builder delegates here: a label with stray blanks captions as at inference.
        assertEquals("calm, gloomy", Captions.fromLabels(List.of(" gloomy", "calm ", " ")));
        assertEquals("", Captions.fromLabels(List.of(" ")));
    }
}
