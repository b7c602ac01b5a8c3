package image2music.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.core.manifest.Manifest;
import image2music.pipeline.TinyModels;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the CLI's log reaches a user with, in a JVM of its own (slf4j-simple reads its settings
 * once): without {@code --verbose}, no logger lines ("[main] WARN ...") and our own warnings as
 * plain lines; with it, each warning once (DJL logs its CUDA probe from two call sites).
 */
class LoggingTest {

    @TempDir static Path dir;

    private static Path tagger;
    private static Path picture;

    @BeforeAll
    static void tinyTagger() throws IOException {
        tagger = TinyModels.tagger(dir.resolve("tagger"), List.of("calm", "dark"));
        picture = dir.resolve("picture.png");
        ImageIO.write(
                new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB), "png", picture.toFile());
    }

    private static String stderrOf(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        Process p =
                new ProcessBuilder(cmd)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(err.toFile())
                        .start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished");
        assertEquals(0, p.exitValue(), Files.readString(err));
        return Files.readString(err, StandardCharsets.UTF_8);
    }

    @Test
    void withoutVerboseNoLoggerLinesReachTheUser() throws Exception {
        String err = stderrOf("tag", "--model", tagger.toString(), picture.toString());
        assertEquals("", err);
    }

    @Test
    void withoutVerboseOurOwnWarningsArePlainLines() throws Exception {
        // A media root whose manifest lost the end of its last line: the reader warns.
        Path from = dir.resolve("mine");
        Files.createDirectories(from.resolve("calm"));
        ImageIO.write(
                new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB),
                "png",
                from.resolve("calm").resolve("a.png").toFile());
        Path root = dir.resolve("images");
        Files.createDirectories(root);
        Files.writeString(root.resolve(Manifest.FILE_NAME), "{\"path\": \"calm/x.png\", \"lab");
        String err = stderrOf("import-images", "--from", from.toString(), "--out", root.toString());
        assertTrue(err.lines().anyMatch(l -> l.startsWith("warning: " + root)), err);
        assertFalse(err.contains("WARN"), err);
        assertFalse(err.contains("[main]"), err);
    }

    @Test
    void withVerboseEachWarningIsPrintedOnce() throws Exception {
        String err = stderrOf("tag", "--verbose", "--model", tagger.toString(), picture.toString());
        List<String> warnings =
                err.lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).toList();
        assertEquals(
                warnings.size(),
                warnings.stream().distinct().count(),
                warnings.stream().collect(Collectors.joining("\n")));
        assertTrue(err.contains("INFO"), "verbose shows the engine's start-up: " + err);
    }
}
