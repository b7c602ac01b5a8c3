package image2music.audio.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void readsBackWhatItWrites(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("metadata.csv");
        List<MetadataCsv.Row> rows =
                List.of(
                        new MetadataCsv.Row("a.png", "calm"),
                        new MetadataCsv.Row("b,1.png", "calm, gloomy"),
                        new MetadataCsv.Row("c.png", "say \"hi\""),
                        new MetadataCsv.Row("d.png", "two\r\nlines"),
                        new MetadataCsv.Row("e.png", ""));
        MetadataCsv.write(csv, rows);
        assertEquals(rows, MetadataCsv.read(csv));
    }

    @Test
    void readsWhatDiffusersAccepts(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("metadata.csv");
        // BOM, LF line ends, extra columns in another order, a blank last line, no final newline.
        Files.writeString(
                csv,
                "\uFEFFtext,split,file_name\n\"bright, calm\",train,x.png\ngloomy,test,y.png\n\nz,t,z.png");
        assertEquals(
                List.of(
                        new MetadataCsv.Row("x.png", "bright, calm"),
                        new MetadataCsv.Row("y.png", "gloomy"),
                        new MetadataCsv.Row("z.png", "z")),
                MetadataCsv.read(csv));
    }

    @Test
    void badTablesNameTheFileAndLine(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("metadata.csv");
        assertProblem(csv, "file,caption\na.png,x\n", "metadata.csv: line 1:", "'file_name'");
        assertProblem(csv, "file_name,text\na.png,x\nb.png\n", "line 3:", "1 fields");
        assertProblem(csv, "file_name,text\na.png,\"open\nb.png,y\n", "line 2:", "not closed");
        assertProblem(csv, "file_name,text\na.png,x\na.png,y\n", "line 3:", "twice");
        assertProblem(csv, "file_name,text\n,x\n", "line 2:", "empty file_name");
        assertProblem(csv, "", "metadata.csv", "empty");
    }

    private static void assertProblem(Path csv, String content, String where, String what)
            throws Exception {
        Files.writeString(csv, content);
        MetadataCsv.FormatException e =
                assertThrows(MetadataCsv.FormatException.class, () -> MetadataCsv.read(csv));
        assertTrue(e.getMessage().contains(where) && e.getMessage().contains(what), e.getMessage());
    }

    @Test
    void captionsIgnoreSurroundingAndBlankLabelsAsPromptsDo() {
        // The prompt builder delegates here: a label with stray blanks captions as at inference.
        assertEquals("calm, gloomy", Captions.fromLabels(List.of(" gloomy", "calm ", " ")));
        assertEquals("", Captions.fromLabels(List.of(" ")));
    }
}
