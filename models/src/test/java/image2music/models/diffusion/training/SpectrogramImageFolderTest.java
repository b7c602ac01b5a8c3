package image2music.models.diffusion.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.audio.dataset.MetadataCsv;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpectrogramImageFolderTest {

    @TempDir Path dir;

    /** A grey image whose pixel at column x is x (so a window's first value tells its offset). */
    private void png(String name, int width, int height) throws IOException {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.getRaster().setSample(x, y, 0, x % 256);
            }
        }
        ImageIO.write(img, "png", dir.resolve(name).toFile());
    }

    private void metadata(String... nameCaption) throws IOException {
        List<MetadataCsv.Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < nameCaption.length; i += 2) {
            rows.add(new MetadataCsv.Row(nameCaption[i], nameCaption[i + 1]));
        }
        MetadataCsv.write(dir.resolve("metadata.csv"), rows);
    }

    @Test
    void readsItemsWithSizesAndDistinctCaptions() throws IOException {
        png("a.png", 40, 8);
        png("b.png", 24, 8);
        metadata("a.png", "calm, gloomy", "b.png", "bright", "a.png".replace("a", "c"), "bright");
        png("c.png", 32, 8);
        SpectrogramImageFolder f = SpectrogramImageFolder.open(dir);
        assertEquals(3, f.size());
        assertEquals(40, f.items().get(0).width());
        assertEquals(8, f.items().get(0).height());
        assertEquals("calm, gloomy", f.items().get(0).caption());
        assertEquals(new TreeSet<>(Set.of("bright", "calm, gloomy")), f.captions());
        f.checkFits(24, 8);
    }

    @Test
    void windowsAreCutInTimeOnlyAndScaledToMinusOneOne() throws IOException {
        png("a.png", 40, 4);
        metadata("a.png", "calm");
        SpectrogramImageFolder.Item item = SpectrogramImageFolder.open(dir).items().get(0);
        assertEquals(12, SpectrogramImageFolder.offset(item, 16, null));
        float[] w = SpectrogramImageFolder.window(item, 12, 16);
        assertEquals(3 * 4 * 16, w.length);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 16; x++) {
                    assertEquals((12 + x) / 127.5f - 1f, w[(c * 4 + y) * 16 + x], 1e-6f);
                }
            }
        }
        SplittableRandom r = new SplittableRandom(7);
        Set<Integer> seen = new TreeSet<>();
        for (int i = 0; i < 200; i++) {
            int o = SpectrogramImageFolder.offset(item, 16, r);
            assertTrue(o >= 0 && o <= 24, "offset " + o);
            seen.add(o);
        }
        assertEquals(25, seen.size(), "every start in reach");
        assertEquals(
                SpectrogramImageFolder.offset(item, 16, new SplittableRandom(3)),
                SpectrogramImageFolder.offset(item, 16, new SplittableRandom(3)));
    }

    @Test
    void badFoldersAreRefusedNamingTheFile() throws IOException {
        assertProblem("metadata.csv");
        png("a.png", 16, 8);
        metadata("a.png", "calm", "gone.png", "calm");
        assertProblem("gone.png");
        metadata("../escape.png", "calm");
        assertProblem("outside");
        Files.writeString(dir.resolve("text.png"), "not an image");
        metadata("text.png", "calm");
        assertProblem("text.png");
        metadata();
        assertProblem("lists no images");
        metadata("a.png", "calm");
        SpectrogramImageFolder f = SpectrogramImageFolder.open(dir);
        IOException rows = assertThrows(IOException.class, () -> f.checkFits(16, 512));
        assertTrue(rows.getMessage().contains("a.png") && rows.getMessage().contains("8 mel rows"));
        IOException time = assertThrows(IOException.class, () -> f.checkFits(32, 8));
        assertTrue(time.getMessage().contains("shorter"), time.getMessage());
    }

    private void assertProblem(String expected) {
        IOException e = assertThrows(IOException.class, () -> SpectrogramImageFolder.open(dir));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
