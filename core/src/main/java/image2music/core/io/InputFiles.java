package image2music.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Checks made before a file given as an input (image, audio) is read: it must be a regular file (a
 * device such as {@code /dev/zero} would be read until memory runs out, a FIFO would block forever)
 * of a bounded size (a huge file would be read whole only to be refused).
 */
public final class InputFiles {

    private InputFiles() {}

    /**
     * Returns the size of {@code file} after checking it.
     *
     * @param maxBytes the largest size accepted
     * @param what what the file should be, for the message ("an image", "a WAV file")
     * @throws NoSuchFileException when it does not exist
     * @throws IOException naming the file when it is not a regular file or is over {@code maxBytes}
     */
    public static long requireRegularFile(Path file, long maxBytes, String what)
            throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        if (!a.isRegularFile()) {
            String kind = a.isDirectory() ? "a folder" : a.isOther() ? "a device or pipe" : "";
            throw new IOException(
                    file + ": not a regular file" + (kind.isEmpty() ? "" : " (" + kind + ")"));
        }
        if (a.size() > maxBytes) {
            throw new IOException(
                    file
                            + ": "
                            + a.size()
                            + " bytes is over the limit of "
                            + maxBytes
                            + " for "
                            + what);
        }
        return a.size();
    }
}
