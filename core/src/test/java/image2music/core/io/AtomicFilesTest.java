package image2music.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir Path dir;

    @Test
    void newFileGetsThePermissionsOfAPlainWrite() throws IOException {
        Path plain = dir.resolve("plain.bin");
        Files.write(plain, new byte[] {1});
        Path atomic = dir.resolve("atomic.bin");
        AtomicFiles.write(atomic, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(atomic));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(atomic));
    }

    @Test
    void overwriteKeepsTheExistingFilesPermissions() throws IOException {
        Path f = dir.resolve("f.txt");
        Files.writeString(f, "old");
        Set<PosixFilePermission> custom = PosixFilePermissions.fromString("rw-r-----");
        Files.setPosixFilePermissions(f, custom);
        AtomicFiles.write(f, "new".getBytes(StandardCharsets.UTF_8));
        assertEquals("new", Files.readString(f));
        assertEquals(custom, Files.getPosixFilePermissions(f));
    }

    @Test
    void failedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
        Path f = dir.resolve("f.txt");
        Files.writeString(f, "old");
        assertThrows(
                IOException.class,
                () ->
                        AtomicFiles.write(
                                f,
                                out -> {
                                    out.write(1);
                                    throw new IOException("disk full");
                                }));
        assertEquals("old", Files.readString(f));
        assertEquals(List.of(f), list(dir));
    }

    @Test
    void writeFolderReplacesAnExistingFolderWhole() throws IOException {
        Path target = dir.resolve("checkpoint-2");
        AtomicFiles.writeFolder(target, tmp -> Files.writeString(tmp.resolve("a"), "1"));
        AtomicFiles.writeFolder(target, tmp -> Files.writeString(tmp.resolve("b"), "2"));
        assertEquals(List.of(target.resolve("b")), list(target));
        assertEquals(List.of(target), list(dir));
    }

    @Test
    void failedFolderWriteKeepsTheOldFolderAndCleansUp() throws IOException {
        Path target = dir.resolve("model");
        AtomicFiles.writeFolder(target, tmp -> Files.writeString(tmp.resolve("a"), "1"));
        assertThrows(
                IllegalStateException.class,
                () ->
                        AtomicFiles.writeFolder(
                                target,
                                tmp -> {
                                    Files.writeString(tmp.resolve("half"), "x");
                                    throw new IllegalStateException("out of memory");
                                }));
        assertEquals(List.of(target.resolve("a")), list(target));
        assertEquals(List.of(target), list(dir));
    }

    @Test
    void deleteTreeRemovesLinksWithoutFollowingThem() throws IOException {
        Path keep = dir.resolve("keep");
        Files.createDirectories(keep);
        Files.writeString(keep.resolve("x"), "precious");
        Path tree = dir.resolve("tree");
        Files.createDirectories(tree.resolve("sub"));
        Files.writeString(tree.resolve("sub/file"), "1");
        Files.createSymbolicLink(tree.resolve("link"), keep);
        FileTrees.delete(tree);
        assertFalse(Files.exists(tree));
        assertTrue(Files.isRegularFile(keep.resolve("x")));
        FileTrees.delete(tree); // missing is fine
    }

    private static List<Path> list(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.sorted().toList();
        }
    }
}
