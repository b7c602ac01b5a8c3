package image2music.data.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.core.io.FolderLock;
import image2music.core.manifest.Manifest;
import image2music.core.manifest.MediaLayout;
import image2music.core.manifest.MediaRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaLibraryTest {

    @TempDir Path root;
    @TempDir Path other;

    private static byte[] bytes(int seed) {
        return ("file " + seed).getBytes(StandardCharsets.UTF_8);
    }

    private static MediaRecord add(MediaLibrary lib, String label, byte[] b) throws IOException {
        return lib.add(
                label,
                b,
                MediaLayout.sha256Hex(b),
                "bin",
                MediaRecord.LOCAL,
                UnaryOperator.identity());
    }

    @Test
    void missingManifestReadoptsTheStoredFilesInsteadOfDeletingThem() throws IOException {
        MediaRecord a;
        MediaRecord b;
        try (MediaLibrary lib = MediaLibrary.open(root)) {
            a = add(lib, "calm", bytes(1));
            b = add(lib, "calm", bytes(2));
        }
        Files.delete(root.resolve(Manifest.FILE_NAME));
        try (MediaLibrary lib = MediaLibrary.open(root)) {
            assertEquals(2, lib.records().size(), lib.repairs().toString());
            assertEquals(2, lib.count("calm"));
            assertTrue(lib.repairs().get(0).startsWith("re-adopted"), lib.repairs().toString());
        }
        assertArrayEquals(bytes(1), Files.readAllBytes(root.resolve(a.path())));
        assertArrayEquals(bytes(2), Files.readAllBytes(root.resolve(b.path())));
        assertEquals(2, new Manifest(root).readAll().size());
    }

    @Test
    void tornLastLineReadoptsThatFile() throws IOException {
        MediaRecord b;
        try (MediaLibrary lib = MediaLibrary.open(root)) {
            add(lib, "calm", bytes(1));
            b = add(lib, "calm", bytes(2));
        }
        Path manifest = root.resolve(Manifest.FILE_NAME);
        byte[] m = Files.readAllBytes(manifest);
        Files.write(manifest, java.util.Arrays.copyOf(m, m.length - 10));
        try (MediaLibrary lib = MediaLibrary.open(root)) {
            assertEquals(2, lib.records().size());
        }
        assertTrue(Files.isRegularFile(root.resolve(b.path())));
    }

    @Test
    void unrecordedFileNotMatchingItsNameIsQuarantinedNotDeleted() throws IOException {
        Path calm = Files.createDirectories(root.resolve("calm"));
        Path mine = calm.resolve("0123456789abcdef.jpg");
        Files.writeString(mine, "my own photo");
        Files.writeString(calm.resolve("notes.txt"), "mine too");
        try (MediaLibrary lib = MediaLibrary.open(root)) {
            assertEquals(0, lib.records().size());
        }
        assertFalse(Files.exists(mine));
        assertEquals(
                "my own photo",
                Files.readString(
                        root.resolve(MediaLibrary.QUARANTINE)
                                .resolve("calm/0123456789abcdef.jpg")));
        assertEquals("mine too", Files.readString(calm.resolve("notes.txt")));
    }

    @Test
    void symlinkedLabelFolderIsRefusedAndTheOtherRootKeepsItsFiles() throws IOException {
        Path otherLabel = Files.createDirectories(other.resolve("calm"));
        byte[] b = bytes(7);
        Path theirs = otherLabel.resolve(MediaLayout.fileStem(MediaLayout.sha256Hex(b)) + ".bin");
        Files.write(theirs, b);
        Files.writeString(otherLabel.resolve("0123456789abcdef.bin"), "not what it says");
        Files.createSymbolicLink(root.resolve("calm"), otherLabel);
        IOException e = assertThrows(IOException.class, () -> MediaLibrary.open(root));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        assertTrue(Files.exists(theirs));
        assertTrue(Files.exists(otherLabel.resolve("0123456789abcdef.bin")));
        assertFalse(Files.exists(other.resolve(Manifest.FILE_NAME)));
        // the failed open released its lock
        Files.delete(root.resolve("calm"));
        MediaLibrary.open(root).close();
    }

    @Test
    void secondWriterIsRefusedWhileTheFirstHoldsTheRoot() throws IOException {
        try (MediaLibrary first = MediaLibrary.open(root)) {
            Path partial =
                    Files.createDirectories(root.resolve("calm")).resolve("0123456789abcdef.bin");
            Files.writeString(partial, "being written by the first run");
            FolderLock.InUseException e =
                    assertThrows(FolderLock.InUseException.class, () -> MediaLibrary.open(root));
            assertTrue(e.getMessage().contains("is in use by PID"), e.getMessage());
            assertTrue(Files.exists(partial));
        }
        assertFalse(Files.exists(root.resolve(FolderLock.FILE_NAME)));
    }

    @Test
    void ownTemporariesAreRemovedOthersKept() throws IOException {
        Path calm = Files.createDirectories(root.resolve("calm"));
        Path temp = calm.resolve(".0123456789abcdef.png.k3j2h.part");
        Path user = calm.resolve(".mine.part");
        Files.writeString(temp, "x");
        Files.writeString(user, "y");
        try (MediaLibrary lib = MediaLibrary.open(root)) {
            assertEquals(
                    List.of("removed partial file calm/.0123456789abcdef.png.k3j2h.part"),
                    lib.repairs());
        }
        assertFalse(Files.exists(temp));
        assertTrue(Files.exists(user));
    }

    @Test
    void copiedFileGetsPlainWritePermissions() throws IOException {
        Path src = other.resolve("in.bin");
        Files.write(src, bytes(3));
        Path plain = other.resolve("plain.bin");
        Files.write(plain, bytes(4));
        MediaRecord r;
        try (MediaLibrary lib = MediaLibrary.open(root)) {
            r =
                    lib.addFile(
                            "calm",
                            src,
                            true,
                            MediaLayout.sha256Hex(src),
                            "bin",
                            MediaRecord.LOCAL,
                            UnaryOperator.identity());
        }
        assertEquals(
                Files.getPosixFilePermissions(plain),
                Files.getPosixFilePermissions(root.resolve(r.path())));
    }
}
