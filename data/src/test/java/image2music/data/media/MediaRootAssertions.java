package image2music.data.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.audio.manifest.Manifest;
import image2music.audio.manifest.MediaLayout;
import image2music.audio.manifest.MediaRecord;
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
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String rel = root.relativize(f).toString();
                if (rel.startsWith(".")) {
                    continue; // work folders such as .yt-dlp/ (yt-dlp resumes its .part files)
                }
                assertFalse(rel.endsWith(".part"), "partial file left: " + rel);
                if (rel.contains("/")) {
                    assertTrue(paths.contains(rel), "file not in the manifest: " + rel);
                }
            }
        }
        return records;
    }

    private static String stem(Path f) {
        String n = f.getFileName().toString();
        return n.substring(0, n.indexOf('.'));
    }
}
