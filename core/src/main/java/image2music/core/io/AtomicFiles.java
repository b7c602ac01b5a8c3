package image2music.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files and folders so that readers only ever see a complete one or none: the content goes
 * to a temporary sibling, which is then renamed over the target.
 *
 * <p>The temporary is created the way a plain write would create the target (permissions from the
 * umask, not {@code Files.createTempFile}'s owner-only ones), and a file written over an existing
 * one keeps that file's permissions, as a plain overwrite would.
 */
public final class AtomicFiles {

    /** Writes into a stream; may throw. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Fills a (new, empty) folder; may throw. */
    @FunctionalInterface
    public interface FolderWriter {
        void write(Path dir) throws IOException;
    }

    private static final int ATTEMPTS = 100;

    private AtomicFiles() {}

    /** Writes {@code target} atomically; on failure nothing is left behind. */
    public static void write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = null;
        for (int i = 0; tmp == null; i++) {
            Path candidate = sibling(target, ".part");
            try {
                Files.newOutputStream(candidate, StandardOpenOption.CREATE_NEW).close();
                tmp = candidate;
            } catch (FileAlreadyExistsException e) {
                if (i >= ATTEMPTS) {
                    throw e;
                }
            }
        }
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer.write(out);
            }
            keepPermissions(target, tmp);
            move(tmp, target);
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** Writes {@code bytes} to {@code target} atomically. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /**
     * Writes the folder {@code target} atomically: {@code writer} fills a temporary folder beside
     * it, which then takes its name. An existing {@code target} is replaced (moved aside first,
     * since a folder cannot be renamed over a non-empty one, and deleted after); on failure the
     * temporary folder is removed and an existing target stays as it was.
     */
    public static void writeFolder(Path target, FolderWriter writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = createSiblingFolder(abs, ".part");
        try {
            writer.write(tmp);
            replaceFolder(tmp, abs);
        } catch (IOException | RuntimeException | Error e) {
            FileTrees.delete(tmp);
            throw e;
        }
    }

    /** Renames {@code source} over {@code target}, atomically where the file system allows. */
    public static void move(Path source, Path target) throws IOException {
        try {
            Files.move(
                    source,
                    target,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void replaceFolder(Path tmp, Path target) throws IOException {
        if (!Files.exists(target)) {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        Path old = sibling(target, ".old");
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
            throw e;
        }
        FileTrees.delete(old);
    }

    private static Path createSiblingFolder(Path target, String suffix) throws IOException {
        for (int i = 0; ; i++) {
            Path candidate = sibling(target, suffix);
            try {
                return Files.createDirectory(candidate);
            } catch (FileAlreadyExistsException e) {
                if (i >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private static Path sibling(Path target, String suffix) {
        Path abs = target.toAbsolutePath();
        long r = ThreadLocalRandom.current().nextLong() >>> 1;
        return abs.resolveSibling("." + abs.getFileName() + "." + Long.toString(r, 36) + suffix);
    }

    private static void keepPermissions(Path target, Path tmp) throws IOException {
        if (!Files.isRegularFile(target)) {
            return;
        }
        PosixFileAttributeView from =
                Files.getFileAttributeView(target, PosixFileAttributeView.class);
        PosixFileAttributeView to = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
        if (from != null && to != null) {
            to.setPermissions(from.readAttributes().permissions());
        }
    }
}
