package image2music.pipeline.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import image2music.models.vit.ImageProcessorConfig;
import image2music.models.vit.RgbImage;
import image2music.models.vit.data.ImageTransforms;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpectrogramWindowsTest {

    /** Column x has grey level x, so a window's first pixel says where it was cut. */
    static RgbImage ramp(int width, int height) {
        byte[] px = new byte[3 * width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 3; c++) {
                    px[3 * (y * width + x) + c] = (byte) x;
                }
            }
        }
        return new RgbImage(width, height, px);
    }

    @Test
    void cutsNonOverlappingWindowsFromTheLeft() {
        List<RgbImage> w = SpectrogramWindows.cut(ramp(50, 3), 16);
        assertEquals(3, w.size());
        assertEquals(16, w.get(2).width());
        assertEquals(32, w.get(2).get(0, 1, 0));
        assertEquals(47, w.get(2).get(15, 2, 2));
    }

    @Test
    void trainingCropsMoveWithTheEpochAndRepeatForTheSameSeed() {
        ImageTransforms t = ImageTransforms.evaluation(ImageProcessorConfig.defaults(8));
        List<SpectrogramWindows.Entry> e =
                List.of(new SpectrogramWindows.Entry("a.png", ramp(200, 8), 1));
        SpectrogramWindows d = new SpectrogramWindows(List.of("x", "y"), e, 8, true, t, 5);
        assertArrayEquals(new float[] {0, 1}, d.example(0, 0).target());
        assertArrayEquals(d.example(0, 3).pixels(), d.example(0, 3).pixels());
        assertNotEquals(d.example(0, 0).pixels()[0], d.example(0, 1).pixels()[0]);
        assertThrows(
                IllegalArgumentException.class,
                () -> new SpectrogramWindows(List.of("x", "y"), e, 201, false, t, 5));
    }
}
