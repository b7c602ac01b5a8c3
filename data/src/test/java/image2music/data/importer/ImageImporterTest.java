package image2music.data.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.core.manifest.Manifest;
import image2music.core.manifest.MediaRecord;
import image2music.data.media.CollectListener;
import image2music.data.media.CollectSummary;
import image2music.data.media.ImageParams;
import image2music.data.media.MediaRootAssertions;
import image2music.data.media.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageImporterTest {

    private static final Clock CLOCK =
            Clock.fixed(Instant.parse("2026-02-03T04:05:06Z"), ZoneOffset.UTC);

    @TempDir Path from;
    @TempDir Path root;

    private final ImageImporter importer =
            new ImageImporter(ImageParams.DEFAULTS.withMaxPixels(4_000_000), 6, false, CLOCK);

    private void userFolders() throws IOException {
        Path bright = Files.createDirectories(from.resolve("bright"));
        byte[] a = TestImages.png(1, 80, 60);
        Files.write(bright.resolve("a.png"), a);
        Files.write(bright.resolve("a copy.png"), a);
        Files.write(bright.resolve("b.jpg"), TestImages.jpeg(2, 80, 60));
        Files.writeString(bright.resolve("notes.txt"), "my favourite pictures");
        Files.write(bright.resolve("huge.png"), TestImages.pngBomb(20000, 20000));
        Files.write(bright.resolve(".DS_Store"), new byte[] {0});
        Path gloomy = Files.createDirectories(from.resolve("gloomy sky"));
        Files.write(gloomy.resolve("c.png"), TestImages.png(3, 80, 60));
        Files.write(
                gloomy.resolve("d.gif"), TestImages.encode(TestImages.pattern(4, 50, 50), "gif"));
        Files.createDirectories(from.resolve("not,a label")).resolve("e.png");
        Files.write(from.resolve("not,a label/e.png"), TestImages.png(5, 80, 60));
    }

    @Test
    void importsValidUniqueImagesAndResumes() throws Exception {
        userFolders();
        List<String> notes = new ArrayList<>();
        CollectListener listener =
                new CollectListener() {
                    @Override
                    public void note(String message) {
                        notes.add(message);
                    }
                };
        CollectSummary s = importer.run(from, root, Set.of(), listener);
        assertEquals(List.of("bright", "gloomy sky"), s.labels());
        assertEquals(2, s.label("bright").kept());
        assertEquals(1, s.label("bright").duplicates());
        assertEquals(Map.of("undecodable", 1, "too-many-pixels", 1), s.label("bright").rejected());
        assertEquals(2, s.label("gloomy sky").kept());
        assertTrue(notes.stream().anyMatch(n -> n.contains("not,a label")), notes.toString());

        List<MediaRecord> records = MediaRootAssertions.assertConsistent(root);
        assertEquals(4, records.size());
        MediaRecord a = records.get(0);
        assertEquals("local", a.source());
        assertEquals("a copy.png", a.title()); // name order: "a copy.png" < "a.png"
        assertEquals(from.resolve("bright/a copy.png").toUri().toString(), a.sourceUrl());
        assertEquals(CLOCK.instant(), a.fetchedAt());
        assertTrue(a.path().matches("bright/[0-9a-f]{16}\\.jpg"), a.path());

        CollectSummary again = importer.run(from, root, Set.of(), CollectListener.NONE);
        assertEquals(0, again.total(CollectSummary.Counts::kept));
        assertEquals(4, again.total(CollectSummary.Counts::skipped));
        assertEquals(records, new Manifest(root).readAll());
    }

    @Test
    void importsOnlyTheChosenLabels() throws Exception {
        userFolders();
        CollectSummary s = importer.run(from, root, Set.of("gloomy sky"), CollectListener.NONE);
        assertEquals(List.of("gloomy sky"), s.labels());
        assertThrows(
                IOException.class,
                () -> importer.run(from, root, Set.of("missing"), CollectListener.NONE));
    }
}
