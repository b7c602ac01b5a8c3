package image2music.models.diffusion.guidance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.models.nn.Engines;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InpaintMaskTest {

    static final SpectrogramParams PARAMS = SpectrogramParams.defaults();

    @TempDir Path dir;

    /** A black {@code w}x{@code h} PNG with a white rectangle. */
    Path png(String name, int w, int h, int x, int y, int rw, int rh) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(x, y, rw, rh);
        g.dispose();
        Path file = dir.resolve(name);
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    @Test
    void readsWhiteAsRegenerate() throws IOException {
        InpaintMask m = InpaintMask.read(png("m.png", 64, 32, 8, 4, 10, 3), 64, 32);
        assertEquals(64, m.width());
        assertEquals(32, m.height());
        assertEquals(30, m.count());
        assertTrue(m.regenerates(4, 8));
        assertTrue(m.regenerates(6, 17));
        assertFalse(m.regenerates(7, 17));
        assertFalse(m.regenerates(4, 18));
    }

    @Test
    void wrongSizeNamesFileExpectedAndFound() throws IOException {
        Path file = png("small.png", 64, 32, 0, 0, 1, 1);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> InpaintMask.read(file, 64, 64));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("mask is 64x32"), e.getMessage());
        assertTrue(e.getMessage().contains("image is 64x64"), e.getMessage());
        Path text = Files.writeString(dir.resolve("bad.png"), "not an image");
        IOException io = assertThrows(IOException.class, () -> InpaintMask.read(text, 64, 64));
        assertTrue(io.getMessage().contains(text.toString()), io.getMessage());
        assertThrows(IOException.class, () -> InpaintMask.read(dir.resolve("absent.png"), 8, 8));
    }

    @Test
    void aLatentCellRegeneratesIfAnyOfItsPixelsDoes() {
        BufferedImage img = new BufferedImage(32, 16, BufferedImage.TYPE_INT_RGB);
        img.setRGB(17, 9, 0xffffff); // one pixel: latent row 1, column 2
        img.setRGB(0, 0, 0x404040); // dark grey keeps
        InpaintMask latent = InpaintMask.of(img).toLatentGrid(8);
        assertEquals(4, latent.width());
        assertEquals(2, latent.height());
        assertEquals(1, latent.count());
        assertTrue(latent.regenerates(1, 2));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> InpaintMask.keepAll(30, 16).toLatentGrid(8));
        assertTrue(e.getMessage().contains("30x16"), e.getMessage());
    }

    @Test
    void timeSpanMapsSecondsToColumns() {
        InpaintMask m = InpaintMask.timeSpan(512, 8, 1.0, 2.0, PARAMS);
        // 100 frames a second: columns 100..199, every row.
        assertEquals(100 * 8, m.count());
        assertFalse(m.regenerates(0, 99));
        assertTrue(m.regenerates(0, 100));
        assertTrue(m.regenerates(7, 199));
        assertFalse(m.regenerates(7, 200));
        assertEquals(12 * 8, InpaintMask.timeSpan(512, 8, 5.0, 9.0, PARAMS).count());
        // Outpainting: keep the first 64 columns, regenerate the rest.
        InpaintMask out = InpaintMask.columns(512, 8, 64, 512);
        assertEquals(448 * 8, out.count());
        assertEquals(64 * 8, out.inverted().count());
        assertThrows(
                IllegalArgumentException.class,
                () -> InpaintMask.timeSpan(512, 8, 2.0, 1.0, PARAMS));
    }

    @Test
    void frequencyBandSelectsMelRowsFromTheBottom() {
        InpaintMask bass = InpaintMask.frequencyBand(4, 512, 0, 200, PARAMS);
        // HTK mel, 512 bins over 0..10 kHz: filter i spans mel points i..i+2, spaced
        // mel(10 kHz) / 513 = 3073.2 / 513 = 5.991 mel apart; mel(200 Hz) = 283.2, so filters
        // 0..47 start below 200 Hz (47 * 5.991 = 281.6 < 283.2 < 48 * 5.991 = 287.6).
        double melStep = 2595.0 * Math.log10(1 + 10000 / 700.0) / 513;
        double mel200 = 2595.0 * Math.log10(1 + 200 / 700.0);
        int filters = (int) Math.ceil(mel200 / melStep);
        assertEquals(48, filters);
        assertEquals(filters * 4, bass.count());
        assertTrue(bass.regenerates(511, 0));
        assertTrue(bass.regenerates(512 - filters, 3));
        assertFalse(bass.regenerates(511 - filters, 3));
        assertFalse(bass.regenerates(0, 0));
        // A narrow band around 1 kHz: mel 993.3..1006.6; filter i spans mel 5.991 * (i..i+2), so
        // filters 164..168 reach into it (1 kHz is the peak of filter 165.9).
        InpaintMask mid = InpaintMask.frequencyBand(1, 512, 990, 1010, PARAMS);
        assertEquals(5, mid.count());
        for (int bin = 164; bin <= 168; bin++) {
            assertTrue(mid.regenerates(511 - bin, 0), "bin " + bin);
        }
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> InpaintMask.frequencyBand(4, 256, 0, 200, PARAMS));
        assertTrue(e.getMessage().contains("256"), e.getMessage());
        // Time span and band together.
        InpaintMask both =
                InpaintMask.timeSpan(4, 512, 0, 0.02, PARAMS)
                        .or(InpaintMask.frequencyBand(4, 512, 0, 200, PARAMS));
        assertEquals(2 * 512 + 2 * filters, both.count());
    }

    @Test
    void compositeKeepsUnmaskedPixelsBitForBit() {
        BufferedImage known = new BufferedImage(16, 8, BufferedImage.TYPE_INT_RGB);
        BufferedImage generated = new BufferedImage(16, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 16; x++) {
                known.setRGB(x, y, (x * 16) << 16 | (y * 30) << 8 | 7);
                generated.setRGB(x, y, 0x123456);
            }
        }
        InpaintMask mask = InpaintMask.columns(16, 8, 4, 9);
        BufferedImage out = mask.composite(generated, known);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 16; x++) {
                int expected = (x >= 4 && x < 9 ? generated : known).getRGB(x, y);
                assertEquals(expected, out.getRGB(x, y), "pixel " + x + "," + y);
            }
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> mask.composite(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), known));
    }

    @Test
    void blendKeepsKnownCellsExactlyAndRegeneratesTheRest() {
        try (NDManager manager = Engines.newManager()) {
            InpaintMask mask = InpaintMask.columns(4, 2, 1, 3);
            NDArray m = mask.toNDArray(manager);
            assertEquals(new Shape(1, 1, 2, 4), m.getShape());
            assertArrayEquals(new float[] {0, 1, 1, 0, 0, 1, 1, 0}, m.toFloatArray(), 0);
            NDArray latents = manager.randomNormal(new Shape(2, 4, 2, 4));
            NDArray known = manager.randomNormal(new Shape(2, 4, 2, 4)).mul(3);
            NDArray out = InpaintMask.blend(latents, known, m);
            assertEquals(latents.getShape(), out.getShape());
            float[] o = out.toFloatArray();
            float[] l = latents.toFloatArray();
            float[] k = known.toFloatArray();
            for (int i = 0; i < o.length; i++) {
                int x = i % 4;
                float expected = x == 1 || x == 2 ? l[i] : k[i];
                assertEquals(expected, o[i], 0, "element " + i);
            }
            // A soft mask weighs both.
            NDArray half = manager.full(new Shape(1, 1, 2, 4), 0.25f);
            float[] h = InpaintMask.blend(latents, known, half).toFloatArray();
            assertEquals(0.25f * l[5] + 0.75f * k[5], h[5], 1e-6f);
            assertThrows(
                    IllegalArgumentException.class,
                    () -> InpaintMask.blend(latents, known, manager.ones(new Shape(1, 1, 4, 2))));
        }
    }
}
