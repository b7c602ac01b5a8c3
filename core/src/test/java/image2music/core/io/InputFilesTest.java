package image2music.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputFilesTest {

    @TempDir Path dir;

    @Test
    void devicesFoldersAndOversizedFilesAreRefusedNamingTheFile() throws Exception {
        IOException dev =
                assertThrows(
                        IOException.class,
                        () -> InputFiles.requireRegularFile(Path.of("/dev/zero"), 100, "an image"));
        assertTrue(dev.getMessage().startsWith("/dev/zero: not a regular file"), dev.getMessage());
        IOException folder =
                assertThrows(IOException.class, () -> InputFiles.requireRegularFile(dir, 100, "x"));
        assertTrue(folder.getMessage().contains("(a folder)"), folder.getMessage());

        Path fifo = dir.resolve("pipe");
        if (new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0) {
            // Refused without opening it (opening a FIFO blocks until a writer comes).
            IOException p =
                    assertThrows(
                            IOException.class,
                            () -> InputFiles.requireRegularFile(fifo, 100, "audio"));
            assertTrue(p.getMessage().contains("device or pipe"), p.getMessage());
        }

        Path big = dir.resolve("big.bin");
        Files.write(big, new byte[101]);
        IOException size =
                assertThrows(
                        IOException.class,
                        () -> InputFiles.requireRegularFile(big, 100, "an image"));
        assertTrue(size.getMessage().contains("101 bytes is over the limit of 100"));
        assertEquals(101, InputFiles.requireRegularFile(big, 101, "an image"));
    }
}
