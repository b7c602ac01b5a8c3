package image2music.pipeline.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.pipeline.InvalidRequestException;
import image2music.pipeline.progress.Cancellation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoServiceTest {

    @TempDir Path dir;

    @Test
    void aFolderStartedWithOtherSettingsIsRefusedBeforeAnyWork() throws Exception {
        Path stages = Files.createDirectories(dir.resolve(".stages"));
        Files.writeString(stages.resolve("demo.settings"), "--quick --seed 42\n");
        Files.writeString(stages.resolve("synth-corpus.done"), "made by seed 42\n");
        List<Path> before = list(dir);

        for (DemoRequest other :
                List.of(new DemoRequest(dir, true, 7), new DemoRequest(dir, false, 42))) {
            InvalidRequestException e =
                    assertThrows(
                            InvalidRequestException.class,
                            () -> new DemoService(event -> {}, new Cancellation()).run(other));
            assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("'--quick --seed 42'"), e.getMessage());
            assertEquals(before, list(dir), "nothing written");
        }
    }

    @Test
    void anOversizedSettingsFileIsAnErrorNamingIt() throws Exception {
        Path settings = Files.createDirectories(dir.resolve(".stages")).resolve("demo.settings");
        Files.write(settings, new byte[1 << 20]);
        java.io.IOException e =
                assertThrows(
                        java.io.IOException.class,
                        () ->
                                new DemoService(event -> {}, new Cancellation())
                                        .run(new DemoRequest(dir, true, 7)));
        assertTrue(e.getMessage().contains(settings.toString()), e.getMessage());
    }

    private static List<Path> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.sorted().toList();
        }
    }
}
