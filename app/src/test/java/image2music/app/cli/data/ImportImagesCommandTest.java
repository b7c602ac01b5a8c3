package image2music.app.cli.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.app.cli.CliRun;
import image2music.core.manifest.Manifest;
import image2music.data.media.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportImagesCommandTest {

    @TempDir Path from;
    @TempDir Path out;

    @Test
    void importsLabelFoldersAndPrintsASummary() throws Exception {
        Files.createDirectories(from.resolve("warm light"));
        Files.write(from.resolve("warm light/1.png"), TestImages.png(1, 40, 30));
        Files.write(from.resolve("warm light/2.png"), TestImages.png(1, 40, 30));
        Files.writeString(from.resolve("warm light/readme.txt"), "hello");
        CliRun run =
                CliRun.of(
                        "import-images",
                        "--from",
                        from.toString(),
                        "--out",
                        out.toString(),
                        "--no-progress",
                        "--format",
                        "png");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(
                run.out().startsWith("'warm light': kept 1 new (1 in all), duplicates 1"),
                run.out());
        assertTrue(run.out().contains("{undecodable=1}"), run.out());
        assertTrue(run.err().contains("readme.txt"), run.err());
        assertEquals(1, new Manifest(out).readAll().size());
        assertTrue(new Manifest(out).readAll().get(0).path().endsWith(".png"));
    }

    @Test
    void missingFolderIsOneErrorLine() {
        CliRun run =
                CliRun.of(
                        "import-images",
                        "--from",
                        from.resolve("nope").toString(),
                        "--out",
                        out.toString());
        assertEquals(1, run.exitCode());
        assertEquals("error: " + from.resolve("nope") + ": not a folder", run.err().trim());
    }
}
