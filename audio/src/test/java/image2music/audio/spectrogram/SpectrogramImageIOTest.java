package image2music.audio.spectrogram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.audio.Audio;
import image2music.audio.SyntheticMusic;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpectrogramImageIOTest {

    @TempDir Path dir;

    static final SpectrogramParams ODD =
            new SpectrogramParams(true, 32000, 20, 50, 100, 128, 20, 8000, 0.5, 7);

    @Test
    void pngCarriesEveryTagInAnEXifChunkBeforeTheImageData() throws Exception {
        BufferedImage img =
                SpectrogramImage.fromSpectrogram(new Spectrogram(new float[2][128][5], ODD));
        Path file = dir.resolve("odd.png");
        SpectrogramImageIO.write(file, img, ODD, 1234.5);
        byte[] bytes = Files.readAllBytes(file);
        String ascii = new String(bytes, StandardCharsets.ISO_8859_1);
        assertTrue(ascii.indexOf("eXIf") > 0 && ascii.indexOf("eXIf") < ascii.indexOf("IDAT"));

        SpectrogramImageIO.Loaded loaded = SpectrogramImageIO.read(file);
        // Griffin-Lim iterations do not travel with the image.
        assertEquals(ODD.withGriffinLimIters(32), loaded.params());
        assertEquals(1234.5, loaded.maxValue().orElseThrow());
        assertEquals(5, loaded.image().getWidth());
        assertEquals(128, loaded.image().getHeight());
        Map<SpectrogramExif.Tag, Number> tags =
                SpectrogramExif.decode(SpectrogramImageIO.exifBlock(bytes));
        assertEquals(SpectrogramExif.Tag.values().length, tags.size());
        assertEquals(32000, tags.get(SpectrogramExif.Tag.SAMPLE_RATE).intValue());
        assertEquals(1, tags.get(SpectrogramExif.Tag.STEREO).intValue());
    }

    /** A big-endian TIFF block with one DOUBLE entry per tag: any value, as a hostile file. */
    private static byte[] tiff(Map<SpectrogramExif.Tag, Double> values) {
        int n = values.size();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + 2 + 12 * n + 4 + 8 * n);
        b.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8).putShort((short) n);
        int data = 8 + 2 + 12 * n + 4;
        for (Map.Entry<SpectrogramExif.Tag, Double> e : values.entrySet()) {
            b.putShort((short) e.getKey().id).putShort((short) 12).putInt(1).putInt(data);
            b.putDouble(data, e.getValue());
            data += 8;
        }
        return b.array();
    }

    private Path hostile(SpectrogramExif.Tag tag, double value) throws IOException {
        BufferedImage img = new BufferedImage(8, 512, BufferedImage.TYPE_BYTE_GRAY);
        byte[] png = SpectrogramImageIO.encodeWith("png", img, 0.75f);
        Path f = dir.resolve(tag + ".png");
        Files.write(f, SpectrogramImageIO.withPngExif(png, tiff(Map.of(tag, value))));
        return f;
    }

    @Test
    void aDeviceGivenAsAnImageOrAudioIsRefusedBeforeReading() {
        Path zero = Path.of("/dev/zero");
        for (org.junit.jupiter.api.function.Executable read :
                List.<org.junit.jupiter.api.function.Executable>of(
                        () -> SpectrogramImageIO.read(zero),
                        () -> SpectrogramImageIO.readTags(zero),
                        () -> image2music.audio.io.AudioFiles.read(zero),
                        () -> image2music.audio.io.WavReader.read(zero))) {
            IOException e = assertThrows(IOException.class, read);
            assertTrue(e.getMessage().startsWith("/dev/zero: not a regular file"), e.getMessage());
        }
    }

    @Test
    void absurdExifValuesAreRefusedNamingTheFileAndTheValue() throws IOException {
        Object[][] cases = {
            {SpectrogramExif.Tag.SAMPLE_RATE, 2147483647.0, "sample rate"},
            {SpectrogramExif.Tag.PADDED_DURATION_MS, 1e8, "padded duration"},
            {SpectrogramExif.Tag.STEP_SIZE_MS, 1e6, "step size"},
            {SpectrogramExif.Tag.WINDOW_DURATION_MS, 1e6, "window"},
            {SpectrogramExif.Tag.NUM_FREQUENCIES, 1e7, "number of frequencies"},
            {SpectrogramExif.Tag.MAX_VALUE, Double.POSITIVE_INFINITY, "MAX_VALUE"},
            {SpectrogramExif.Tag.MAX_VALUE, -5.0, "MAX_VALUE"},
            {SpectrogramExif.Tag.POWER_FOR_IMAGE, 1e9, "power for image"},
            {SpectrogramExif.Tag.SAMPLE_RATE, 1e30, "SAMPLE_RATE"},
        };
        for (Object[] c : cases) {
            Path f = hostile((SpectrogramExif.Tag) c[0], (Double) c[1]);
            IOException e = assertThrows(IOException.class, () -> SpectrogramImageIO.read(f));
            assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
            assertTrue(e.getMessage().contains((String) c[2]), c[0] + ": " + e.getMessage());
        }
    }

    @Test
    void monoPngRoundTripIsLossless() throws Exception {
        SpectrogramConverter c = new SpectrogramConverter(SpectrogramParams.defaults());
        Audio clip = SyntheticMusic.clip(0.5, 44100, 4);
        Spectrogram s = c.spectrogramFromAudio(clip);
        BufferedImage img = SpectrogramImage.fromSpectrogram(s);
        Path file = dir.resolve("clip.png");
        SpectrogramImageIO.write(file, img, s.params(), s.max());
        SpectrogramImageIO.Loaded loaded = SpectrogramImageIO.read(file);
        assertEquals(s.max(), loaded.maxValue().orElseThrow(), 0.0);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                assertEquals(img.getRGB(x, y), loaded.image().getRGB(x, y));
            }
        }
    }

    @Test
    void jpegCarriesTheTagsInApp1AndKeepsThePictureClose() throws Exception {
        SpectrogramConverter c = new SpectrogramConverter(SpectrogramParams.defaults());
        Spectrogram s = c.spectrogramFromAudio(SyntheticMusic.clip(0.5, 44100, 4));
        BufferedImage img = SpectrogramImage.fromSpectrogram(s);
        Path file = dir.resolve("clip.jpg");
        SpectrogramImageIO.write(file, img, s.params(), s.max());
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(0xFF, bytes[0] & 0xFF);
        assertEquals(0xD8, bytes[1] & 0xFF);
        SpectrogramImageIO.Loaded loaded = SpectrogramImageIO.read(file);
        assertEquals(SpectrogramParams.defaults(), loaded.params());
        assertEquals(s.max(), loaded.maxValue().orElseThrow(), 0.0);
        double err = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                err += Math.abs((img.getRGB(x, y) & 0xFF) - (loaded.image().getRGB(x, y) & 0xFF));
            }
        }
        double mean = err / (img.getWidth() * img.getHeight());
        assertTrue(mean < 2.0, "mean abs pixel error " + mean);
    }

    @Test
    void stereoJpegKeepsLeftAndRightApart() throws Exception {
        SpectrogramParams stereo = SpectrogramParams.defaults().withStereo(true);
        float[][][] data = new float[2][512][64];
        for (int t = 0; t < 64; t++) {
            for (int i = 0; i < 512; i++) {
                // left: stripes every other frame; right: stripes every other bin
                data[0][i][t] = t % 2 == 0 ? 100 : 1;
                data[1][i][t] = i % 2 == 0 ? 100 : 1;
            }
        }
        BufferedImage img = SpectrogramImage.fromSpectrogram(new Spectrogram(data, stereo));
        Path file = dir.resolve("stereo.jpg");
        SpectrogramImageIO.write(file, img, stereo, 100);
        SpectrogramImageIO.Loaded loaded = SpectrogramImageIO.read(file);
        assertTrue(loaded.params().stereo());
        Spectrogram back = SpectrogramImage.toSpectrogram(loaded.image(), loaded.params(), 100);
        // Without chroma subsampling the one-pixel stripes survive in both channels.
        assertTrue(back.data()[0][100][10] > 5 * back.data()[0][100][11]);
        assertTrue(back.data()[1][100][10] > 5 * back.data()[1][101][10]);
    }

    @Test
    void imagesWithoutTagsReadAsDefaults() throws Exception {
        BufferedImage img = new BufferedImage(3, 512, BufferedImage.TYPE_INT_RGB);
        Path file = dir.resolve("plain.png");
        javax.imageio.ImageIO.write(img, "png", file.toFile());
        SpectrogramImageIO.Loaded loaded = SpectrogramImageIO.read(file);
        assertEquals(SpectrogramParams.defaults(), loaded.params());
        assertFalse(loaded.maxValue().isPresent());
        assertEquals(30e6, loaded.maxValueOrDefault());
    }

    @Test
    void badFilesNameTheFileAndLeaveNothingBehind() throws Exception {
        Path junk = dir.resolve("junk.png");
        Files.writeString(junk, "not an image");
        IOException e = assertThrows(IOException.class, () -> SpectrogramImageIO.read(junk));
        assertTrue(e.getMessage().contains("junk.png"), e.getMessage());

        BufferedImage img = new BufferedImage(3, 512, BufferedImage.TYPE_INT_RGB);
        Path gif = dir.resolve("out.gif");
        IllegalArgumentException bad =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> SpectrogramImageIO.write(gif, img, SpectrogramParams.defaults(), 1));
        assertTrue(bad.getMessage().contains("out.gif"));
        assertFalse(Files.exists(gif));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "only junk.png is left");
        }
    }
}
