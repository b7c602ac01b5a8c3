package image2music.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Folder-tree operations the standard library lacks. */
public final class FileTrees {

    private FileTrees() {}

    /**
     * Deletes {@code root} and everything under it; a missing root is fine. Symbolic links are
     * removed, never followed. Callers pass only folders their own run created.
     */
    public static void delete(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
