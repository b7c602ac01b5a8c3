package image2music.audio.spectrogram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class SpectrogramImageTest {

    @Test
    void pixelRuleTruncatesLikeNumpy() {
        assertEquals(0, SpectrogramImage.pixel(10f, 10f, 0.25f));
        assertEquals(255, SpectrogramImage.pixel(0f, 10f, 0.25f));
        // (0.5)^0.25 = 0.8409 -> 255 - 214.43 = 40.57 -> 40
        assertEquals(40, SpectrogramImage.pixel(5f, 10f, 0.25f));
        assertEquals(255, SpectrogramImage.pixel(1f, 0f, 0.25f), "silence is white");
    }

    @Test
    void lowFrequenciesAtTheBottomAndMonoIsGrey() {
        float[][][] data = new float[1][512][2];
        data[0][0][0] = 100; // lowest bin, first frame
        data[0][511][1] = 50; // highest bin, second frame
        BufferedImage img =
                SpectrogramImage.fromSpectrogram(
                        new Spectrogram(data, SpectrogramParams.defaults()));
        assertEquals(2, img.getWidth());
        assertEquals(512, img.getHeight());
        assertEquals(0x000000, img.getRGB(0, 511) & 0xFFFFFF);
        int top = img.getRGB(1, 0) & 0xFFFFFF;
        int grey = SpectrogramImage.pixel(50, 100, 0.25f);
        assertEquals((grey << 16) | (grey << 8) | grey, top);
        assertEquals(0xFFFFFF, img.getRGB(1, 511) & 0xFFFFFF);
    }

    @Test
    void stereoIsZeroLeftRight() {
        SpectrogramParams p = SpectrogramParams.defaults().withStereo(true);
        float[][][] data = new float[2][512][1];
        data[0][3][0] = 100;
        data[1][3][0] = 25;
        BufferedImage img = SpectrogramImage.fromSpectrogram(new Spectrogram(data, p));
        int c = img.getRGB(0, 511 - 3);
        assertEquals(0, (c >> 16) & 0xFF, "R");
        assertEquals(0, (c >> 8) & 0xFF, "G = left");
        assertEquals(SpectrogramImage.pixel(25, 100, 0.25f), c & 0xFF, "B = right");
        Spectrogram back = SpectrogramImage.toSpectrogram(img, p, 100);
        assertEquals(100, back.data()[0][3][0], 1e-3);
        assertEquals(25, back.data()[1][3][0], 25 * 0.05);
        assertEquals(0, back.data()[0][4][0], 0.0);
    }

    @Test
    void decodingInvertsTheRuleAndAveragesNonGreyPixels() {
        BufferedImage img = new BufferedImage(1, 512, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 511, 0x000000);
        img.setRGB(0, 510, 0x7F7F7F);
        img.setRGB(0, 509, (100 << 16) | (110 << 8) | 120);
        img.setRGB(0, 508, 0xFFFFFF);
        Spectrogram s = SpectrogramImage.toSpectrogram(img, SpectrogramParams.defaults(), 30e6);
        assertEquals(30e6, s.data()[0][0][0], 1);
        assertEquals(30e6 * Math.pow(128 / 255.0, 4), s.data()[0][1][0], 1);
        assertEquals(30e6 * Math.pow(145 / 255.0, 4), s.data()[0][2][0], 1);
        assertEquals(0, s.data()[0][3][0], 0.0);
    }

    @Test
    void greyImagesDecodeTheirRawSamples() {
        BufferedImage img = new BufferedImage(1, 512, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(0, 511, 0, 0);
        img.getRaster().setSample(0, 510, 0, 128);
        img.getRaster().setSample(0, 509, 0, 255);
        Spectrogram s = SpectrogramImage.toSpectrogram(img, SpectrogramParams.defaults(), 30e6);
        assertEquals(30e6, s.data()[0][0][0], 1);
        assertEquals(30e6 * Math.pow(127 / 255.0, 4), s.data()[0][1][0], 1);
        assertEquals(0, s.data()[0][2][0], 0.0);
        BufferedImage wide = new BufferedImage(1, 512, BufferedImage.TYPE_USHORT_GRAY);
        wide.getRaster().setSample(0, 510, 0, 128 << 8);
        assertEquals(
                30e6 * Math.pow(127 / 255.0, 4),
                SpectrogramImage.toSpectrogram(wide, SpectrogramParams.defaults(), 30e6)
                        .data()[0][1][0],
                1);
    }

    @Test
    void wrongHeightIsRefused() {
        BufferedImage img = new BufferedImage(4, 256, BufferedImage.TYPE_INT_RGB);
        assertThrows(
                IllegalArgumentException.class,
                () -> SpectrogramImage.toSpectrogram(img, SpectrogramParams.defaults(), 1));
    }
}
