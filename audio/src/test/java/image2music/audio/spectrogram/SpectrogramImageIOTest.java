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
