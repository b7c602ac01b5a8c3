package image2music.data.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.core.manifest.Manifest;
import image2music.core.manifest.MediaLayout;
import image2music.core.manifest.MediaRecord;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** Checks that a media root's folders and manifest agree. */
public final class MediaRootAssertions {

    private MediaRootAssertions() {}

    /**
     * The manifest and the folders agree: every record's file exists with its size and hash, every
     * file is recorded, nothing temporary is left, no bytes or URL are kept twice per label, and
     * every image decodes as RGB.
     */
    public static List<MediaRecord> assertConsistent(Path root) throws IOException {
        List<MediaRecord> records = new Manifest(root).readAll();
        Set<String> paths = new HashSet<>();
        Set<String> shaPerLabel = new HashSet<>();
        Set<String> urls = new HashSet<>();
        for (MediaRecord r : records) {
            assertTrue(paths.add(r.path()), "listed twice: " + r.path());
            assertTrue(shaPerLabel.add(r.labels() + r.sha256()), "bytes kept twice: " + r.path());
            if (r.sourceUrl() != null) {
                assertTrue(
                        urls.add(r.labels() + r.sourceUrl()),
                        "URL kept twice in a label: " + r.sourceUrl());
            }
            Path f = MediaLayout.resolve(root, r.path());
            byte[] bytes = Files.readAllBytes(f);
            assertEquals(r.bytes(), bytes.length, r.path());
            assertEquals(r.sha256(), MediaLayout.sha256Hex(bytes), r.path());
            assertEquals(MediaLayout.fileStem(r.sha256()), stem(f), r.path());
            if (r.width() != null) {
                BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
                assertNotNull(img, r.path());
                assertEquals((int) r.width(), img.getWidth());
                assertEquals(3, img.getColorModel().getNumComponents(), r.path());
            }
        }
        for (Path f : labelFiles(root)) {
            String rel = root.relativize(f).toString();
            assertFalse(rel.endsWith(".part"), "partial file left: " + rel);
            assertTrue(paths.contains(rel), "file not in the manifest: " + rel);
        }
        return records;
    }

    /**
     * What may be seen right after a process was killed (SIGKILL) mid-run, before the next run
     * repairs it: every manifest line is a whole, correct file; anything else in the label folders
     * is a temporary {@code .part} file or a whole file renamed into place whose manifest line was
     * not yet written (its name still matches its content).
     */
    public static List<MediaRecord> assertKilledState(Path root) throws IOException {
        List<MediaRecord> records = new Manifest(root).readAll();
        Set<String> paths = new HashSet<>();
        for (MediaRecord r : records) {
            paths.add(r.path());
            byte[] bytes = Files.readAllBytes(MediaLayout.resolve(root, r.path()));
            assertEquals(r.sha256(), MediaLayout.sha256Hex(bytes), r.path());
        }
        for (Path f : labelFiles(root)) {
            String rel = root.relativize(f).toString();
            String name = f.getFileName().toString();
            if (paths.contains(rel) || (name.startsWith(".") && name.endsWith(".part"))) {
                continue;
            }
            assertEquals(
                    stem(f),
                    MediaLayout.fileStem(MediaLayout.sha256Hex(Files.readAllBytes(f))),
                    "a damaged file in place: " + rel);
        }
        return records;
    }

    /** Regular files in the label folders (not in hidden work folders such as .yt-dlp/). */
    private static List<Path> labelFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> f.getParent() != null && !f.getParent().equals(root))
                    .filter(f -> !root.relativize(f).toString().startsWith("."))
                    .toList();
        }
    }

    private static String stem(Path f) {
        String n = f.getFileName().toString();
        return n.substring(0, n.indexOf('.'));
    }
}
