package image2music.data.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PerceptualHashTest {

    @Test
    void resizedAndRecompressedCopiesAreNear() throws IOException {
        BufferedImage original = TestImages.pattern(7, 400, 300);
        long h = PerceptualHash.of(original);
        long small = PerceptualHash.of(Resize.to(original, 133, 100));
        BufferedImage jpeg =
                ImageIO.read(new ByteArrayInputStream(TestImages.encode(original, "jpg")));
        long recompressed = PerceptualHash.of(jpeg);
        assertTrue(PerceptualHash.distance(h, small) <= 4, "resized: " + distance(h, small));
        assertTrue(
                PerceptualHash.distance(h, recompressed) <= 4,
                "recompressed: " + distance(h, recompressed));
    }

    @Test
    void unrelatedImagesAreFar() {
        for (int seed = 0; seed < 10; seed++) {
            long a = PerceptualHash.of(TestImages.pattern(seed, 128, 128));
            long b = PerceptualHash.of(TestImages.pattern(seed + 100, 128, 128));
            assertTrue(PerceptualHash.distance(a, b) > 12, "seed " + seed + ": " + distance(a, b));
        }
    }

    @Test
    void mirroredImageIsFarButBrightenedImageIsNear() {
        BufferedImage img = TestImages.pattern(11, 160, 120);
        BufferedImage mirrored = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
        BufferedImage brighter = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 120; y++) {
            for (int x = 0; x < 160; x++) {
                int p = img.getRGB(x, y);
                mirrored.setRGB(159 - x, y, p);
                brighter.setRGB(x, y, p + 0x0a0a0a);
            }
        }
        long h = PerceptualHash.of(img);
        // Mirroring flips the sign of every odd horizontal frequency: about half the bits.
        assertTrue(distance(h, PerceptualHash.of(mirrored)) > 12);
        // A uniform brightness shift changes only the DC term.
        assertTrue(distance(h, PerceptualHash.of(brighter)) <= 1);
    }

    @Test
    void hexRoundTripsAndDistanceCountsBits() {
        long h = 0x8000_0000_0000_0001L;
        assertEquals("8000000000000001", PerceptualHash.toHex(h));
        assertEquals(h, PerceptualHash.parseHex("8000000000000001"));
        assertEquals(2, PerceptualHash.distance(h, 0));
        assertEquals(64, PerceptualHash.distance(-1L, 0));
        assertThrows(IllegalArgumentException.class, () -> PerceptualHash.parseHex("abc"));
    }

    @Test
    void tinyImagesHash() {
        BufferedImage img = TestImages.pattern(3, 5, 9);
        long h = PerceptualHash.of(img);
        assertEquals(h, PerceptualHash.of(img));
    }

    private static int distance(long a, long b) {
        return PerceptualHash.distance(a, b);
    }
}
