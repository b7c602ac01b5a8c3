package image2music.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An exclusive claim on a folder by one writer: the file {@value #FILE_NAME} inside it holds the
 * owner's PID under an operating-system lock. The OS drops the lock when the owner dies, so a lock
 * file left by a killed run (a dead PID) is simply taken over; a live owner makes {@link #acquire}
 * fail with "DIR is in use by PID n". The file stays (emptied) on {@link #close}: deleting it would
 * let two later writers lock two different files of the same name.
 */
public final class FolderLock implements AutoCloseable {

    /** The lock file's name inside the locked folder. */
    public static final String FILE_NAME = ".image2music.lock";

    /** Folders locked by this JVM: OS file locks do not exclude threads of one process. */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private static final int ATTEMPTS = 100;

    private final Path folder;
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private FolderLock(Path folder, Path file, FileChannel channel, FileLock lock) {
        this.folder = folder;
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Thrown when another live writer holds the folder. */
    public static final class InUseException extends IOException {
        public InUseException(String message) {
            super(message);
        }
    }

    /**
     * Locks {@code folder} (created if needed) for this process.
     *
     * @throws InUseException when another writer (another process, or this one) holds it
     */
    public static FolderLock acquire(Path folder) throws IOException {
        Files.createDirectories(folder);
        Path key = folder.toRealPath();
        Path file = key.resolve(FILE_NAME);
        if (Files.isSymbolicLink(file)
                || Files.exists(file, LinkOption.NOFOLLOW_LINKS)
                        && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(file + ": lock file is not a regular file");
        }
        if (!HELD.add(key)) {
            throw new InUseException(
                    folder + " is in use by PID " + ProcessHandle.current().pid() + " (this run)");
        }
        try {
            for (int attempt = 0; ; attempt++) {
                FolderLock lock = tryAcquire(folder, key, file);
                if (lock != null) {
                    return lock;
                }
                if (attempt >= ATTEMPTS) {
                    throw new IOException(file + ": lock file keeps changing; giving up");
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            HELD.remove(key);
            throw e;
        }
    }

    /**
     * One try: locks the file at {@code file}, or returns null when that file was deleted (by an
     * owner closing) between opening and locking it, so the caller tries the new one.
     */
    private static FolderLock tryAcquire(Path folder, Path key, Path file) throws IOException {
        FileChannel ch =
                FileChannel.open(
                        file,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.READ,
                        StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS);
        try {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String owner = readOwner(ch);
                throw new InUseException(
                        folder
                                + " is in use by "
                                + (owner.isEmpty() ? "another process" : "PID " + owner)
                                + " (lock file "
                                + file
                                + ")");
            }
            // The content is unique to this try: reading it back through the path proves the
            // locked file is the one the path names (not one an owner deleted on closing).
            String stamp =
                    ProcessHandle.current().pid()
                            + " "
                            + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36)
                            + "\n";
            byte[] bytes = stamp.getBytes(StandardCharsets.US_ASCII);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(bytes), 0);
            ch.force(false);
            byte[] onDisk;
            try {
                onDisk = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                onDisk = new byte[0];
            }
            if (!Arrays.equals(bytes, onDisk)) {
                ch.close();
                return null;
            }
            return new FolderLock(key, file, ch, lock);
        } catch (IOException | RuntimeException | Error e) {
            ch.close();
            throw e;
        }
    }

    private static String readOwner(FileChannel ch) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(32);
        ch.read(buf, 0);
        buf.flip();
        String s = StandardCharsets.US_ASCII.decode(buf).toString().trim();
        String pid = s.split("\\s+", 2)[0];
        return pid.matches("[0-9]{1,19}") ? pid : "";
    }

    /** The locked folder (real path). */
    public Path folder() {
        return folder;
    }

    /** Deletes the lock file, then releases the lock. */
    @Override
    public void close() throws IOException {
        try {
            if (channel.isOpen()) {
                // Deleted while still locked: a writer waiting on this file then finds that the
                // path no longer names it and locks the new one (see tryAcquire).
                Files.deleteIfExists(file);
                lock.release();
                channel.close();
            }
        } finally {
            HELD.remove(folder);
        }
    }
}
