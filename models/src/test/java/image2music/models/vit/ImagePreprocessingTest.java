package image2music.models.vit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonParser;
import image2music.models.nn.Engines;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PIL's bilinear resize worked out by hand, RGB conversion from raw samples, HF normalisation. */
class ImagePreprocessingTest {

    @TempDir Path dir;

    private static RgbImage grayRow(int... v) {
        byte[] p = new byte[3 * v.length];
        for (int i = 0; i < v.length; i++) {
            p[3 * i] = p[3 * i + 1] = p[3 * i + 2] = (byte) v[i];
        }
        return new RgbImage(v.length, 1, p);
    }

    private static int[] red(RgbImage img) {
        int[] r = new int[img.width() * img.height()];
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                r[y * img.width() + x] = img.get(x, y, 0);
            }
        }
        return r;
    }

    @Test
    void shrinkingWidensTheTriangleFilterAsPilDoes() {
        // 4 -> 2: support 2; output 0 centred at 1.0 takes inputs 0..2 with weights
        // 0.75, 0.75, 0.25 (normalised 3/7, 3/7, 1/7): 0*3/7 + 70*3/7 + 140/7 = 50;
        // output 1 centred at 3.0: 70/7 + 140*3/7 + 210*3/7 = 160. Java2D's bilinear gives 35, 175.
        assertArrayEquals(
                new int[] {50, 160}, red(PilResize.bilinear(grayRow(0, 70, 140, 210), 2, 1)));
    }

    @Test
    void enlargingInterpolatesBetweenNeighbours() {
        // 2 -> 4: centres 0.25, 0.75, 1.25, 1.75; edge pixels keep one tap.
        assertArrayEquals(
                new int[] {0, 25, 75, 100}, red(PilResize.bilinear(grayRow(0, 100), 4, 1)));
    }

    @Test
    void fixedPointRoundsHalvesUp() {
        // 2 -> 1: weights 1/2, 1/2 of (0, 1) = 0.5, which PIL rounds to 1; (0, 2) -> 1.
        assertArrayEquals(new int[] {1}, red(PilResize.bilinear(grayRow(0, 1), 1, 1)));
        assertArrayEquals(new int[] {1}, red(PilResize.bilinear(grayRow(0, 2), 1, 1)));
    }

    @Test
    void resizesRowsThenColumnsWithEightBitIntermediate() {
        // 2x2 -> 1x1: rows (0, 1) -> 1 (rounded) and (0, 0) -> 0, then (1, 0) vertically -> 1.
        // Averaging all four in one step would give 0.25 -> 0.
        byte[] p = new byte[12];
        p[3] = 1;
        p[4] = 1;
        p[5] = 1;
        RgbImage img = new RgbImage(2, 2, p);
        assertArrayEquals(new int[] {1}, red(PilResize.bilinear(img, 1, 1)));
    }

    @Test
    void sameSizeIsUnchanged() {
        RgbImage img = grayRow(3, 9, 27);
        assertArrayEquals(red(img), red(PilResize.bilinear(img, 3, 1)));
    }

    @Test
    void grayPngIsReadFromRawSamplesNotColourManaged() throws IOException {
        BufferedImage g = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        g.getRaster().setSample(0, 0, 0, 128);
        g.getRaster().setSample(1, 0, 0, 30);
        Path f = dir.resolve("g.png");
        ImageIO.write(g, "png", f.toFile());
        RgbImage img = RgbImages.read(f);
        assertEquals(
                List.of(128, 128, 128, 30, 30, 30),
                List.of(
                        img.get(0, 0, 0),
                        img.get(0, 0, 1),
                        img.get(0, 0, 2),
                        img.get(1, 0, 0),
                        img.get(1, 0, 1),
                        img.get(1, 0, 2)));
        // Java2D's getRGB would have turned 128 into a darker sRGB value:
        assertTrue(((ImageIO.read(f.toFile()).getRGB(0, 0) >> 16) & 0xFF) != 128);
    }

    @Test
    void paletteAndTransparencyBecomeRgbDroppingAlphaAsPilConvertRgb() throws IOException {
        byte[] r = {(byte) 200, 0};
        byte[] gr = {10, 0};
        byte[] b = {20, (byte) 255};
        byte[] a = {(byte) 255, (byte) 128};
        BufferedImage pal =
                new BufferedImage(
                        2,
                        1,
                        BufferedImage.TYPE_BYTE_INDEXED,
                        new IndexColorModel(8, 2, r, gr, b, a));
        pal.getRaster().setSample(1, 0, 0, 1);
        Path f = dir.resolve("p.png");
        ImageIO.write(pal, "png", f.toFile());
        RgbImage img = RgbImages.read(f);
        assertEquals(
                List.of(200, 10, 20),
                List.of(img.get(0, 0, 0), img.get(0, 0, 1), img.get(0, 0, 2)));
        // PIL's convert("RGB") drops alpha: the colour under it stays, not blended with white.
        assertEquals(
                List.of(0, 0, 255), List.of(img.get(1, 0, 0), img.get(1, 0, 1), img.get(1, 0, 2)));

        BufferedImage rgba = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        rgba.setRGB(0, 0, (64 << 24) | (100 << 16) | (50 << 8) | 0);
        Path f2 = dir.resolve("a.png");
        ImageIO.write(rgba, "png", f2.toFile());
        RgbImage img2 = RgbImages.read(f2);
        assertEquals(
                List.of(100, 50, 0),
                List.of(img2.get(0, 0, 0), img2.get(0, 0, 1), img2.get(0, 0, 2)));
    }

    @Test
    void aDeviceIsNotReadAsAnImage() {
        IOException e = assertThrows(IOException.class, () -> RgbImages.read(Path.of("/dev/zero")));
        assertTrue(e.getMessage().startsWith("/dev/zero: not a regular file"), e.getMessage());
    }

    @Test
    void unreadableFilesFailNamingTheFile() throws IOException {
        Path f = dir.resolve("notes.png");
        Files.writeString(f, "not an image");
        IOException e = assertThrows(IOException.class, () -> RgbImages.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }

    @Test
    void normalisesLikeTransformersWithDefaultsOrPreprocessorConfig() {
        ViTImageProcessor p = new ViTImageProcessor(ImageProcessorConfig.defaults(1));
        // (v/255 - 0.5) / 0.5 in float32
        float[] v = p.pixelValues(new RgbImage(1, 1, new byte[] {0, (byte) 128, (byte) 255}));
        assertArrayEquals(new float[] {-1f, (float) (128 / 255.0) * 2 - 1, 1f}, v, 1e-7f);

        ImageProcessorConfig imagenet =
                ImageProcessorConfig.fromJson(
                        JsonParser.parseString(
                                        "{\"size\":{\"height\":2,\"width\":3},\"image_mean\":[0.485,0.456,0.406],"
                                                + "\"image_std\":[0.229,0.224,0.225],\"resample\":2}")
                                .getAsJsonObject(),
                        224);
        assertEquals(2, imagenet.height());
        assertEquals(3, imagenet.width());
        try (NDManager m = Engines.newManager()) {
            NDArray x =
                    new ViTImageProcessor(imagenet)
                            .preprocess(List.of(grayRow(255), grayRow(0)), m);
            assertEquals(new Shape(2, 3, 2, 3), x.getShape());
            assertEquals((1f - 0.406f) / 0.225f, x.getFloat(0, 2, 1, 2), 1e-6f);
            assertEquals((0f - 0.485f) / 0.229f, x.getFloat(1, 0, 0, 0), 1e-6f);
        }
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        ImageProcessorConfig.fromJson(
                                JsonParser.parseString("{\"resample\":3}").getAsJsonObject(), 224));
    }
}
