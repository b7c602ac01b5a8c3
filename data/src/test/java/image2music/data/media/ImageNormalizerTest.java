package image2music.data.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.data.media.ImageRejectedException.Reason;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageNormalizerTest {

    private final ImageNormalizer normalizer = new ImageNormalizer(ImageParams.DEFAULTS);

    @Test
    void convertsPngToRgbJpegWithItsHash() throws Exception {
        byte[] png = TestImages.png(1, 120, 80);
        NormalizedImage n = normalizer.normalize(png, "image/png", "a.png");
        assertEquals(ImageFormat.JPEG, n.format());
        assertEquals(120, n.width());
        assertEquals(80, n.height());
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(n.bytes()));
        assertEquals(120, back.getWidth());
        assertEquals(3, back.getColorModel().getNumComponents());
        assertTrue(
                PerceptualHash.distance(
                                n.phash(), PerceptualHash.of(TestImages.pattern(1, 120, 80)))
                        <= 2);
        assertEquals(16, n.phashHex().length());
    }

    @Test
    void sameInputGivesIdenticalBytes() throws Exception {
        byte[] jpg = TestImages.jpeg(2, 64, 64);
        assertArrayEquals(
                normalizer.normalize(jpg, "image/jpeg", "x").bytes(),
                normalizer.normalize(jpg.clone(), null, "y").bytes());
    }

    @Test
    void alphaIsDroppedAsPilConvertRgbDoesAndPngOutputIsLossless() throws Exception {
        BufferedImage argb = new BufferedImage(40, 30, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x00405060); // fully transparent: its colour is kept, not white
        argb.setRGB(5, 5, 0xff102030);
        argb.setRGB(6, 6, 0x80a0b0c0); // half transparent: not blended with white
        byte[] png = TestImages.encode(argb, "png");
        ImageNormalizer toPng =
                new ImageNormalizer(ImageParams.DEFAULTS.withFormat(ImageFormat.PNG));
        NormalizedImage n = toPng.normalize(png, "image/png", "t.png");
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(n.bytes()));
        assertEquals(0x405060, back.getRGB(0, 0) & 0xffffff);
        assertEquals(0x102030, back.getRGB(5, 5) & 0xffffff);
        assertEquals(0xa0b0c0, back.getRGB(6, 6) & 0xffffff);
        assertEquals(BufferedImage.TYPE_3BYTE_BGR, back.getType());
    }

    @Test
    void grayIsReplicatedFromItsRawSamples() throws Exception {
        BufferedImage gray = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(3, 3, 0, 128);
        ImageNormalizer toPng =
                new ImageNormalizer(ImageParams.DEFAULTS.withFormat(ImageFormat.PNG));
        NormalizedImage n = toPng.normalize(TestImages.encode(gray, "png"), "image/png", "g");
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(n.bytes()));
        assertEquals(0x808080, back.getRGB(3, 3) & 0xffffff);
    }

    @Test
    void scalesDownToMaxSideKeepingAspect() throws Exception {
        ImageNormalizer small = new ImageNormalizer(ImageParams.DEFAULTS.withMaxSide(100));
        NormalizedImage n = small.normalize(TestImages.png(3, 400, 250), "image/png", "s");
        assertEquals(100, n.width());
        assertEquals(63, n.height());
        NormalizedImage kept = small.normalize(TestImages.png(3, 90, 50), "image/png", "k");
        assertEquals(90, kept.width());
    }

    @Test
    void refusesHtmlByContentTypeAndByContent() {
        byte[] html =
                "<!DOCTYPE html><html><body>Not found</body></html>"
                        .getBytes(StandardCharsets.UTF_8);
        assertEquals(
                Reason.CONTENT_TYPE,
                assertThrows(
                                ImageRejectedException.class,
                                () -> normalizer.normalize(html, "text/html; charset=utf-8", "u"))
                        .reason());
        ImageRejectedException e =
                assertThrows(
                        ImageRejectedException.class,
                        () -> normalizer.normalize(html, "image/jpeg", "http://h/x.jpg"));
        assertEquals(Reason.UNDECODABLE, e.reason());
        assertTrue(e.getMessage().startsWith("http://h/x.jpg: "), e.getMessage());
    }

    @Test
    void refusesTooManyBytes() {
        ImageNormalizer tiny = new ImageNormalizer(ImageParams.DEFAULTS.withMaxBytes(100));
        assertEquals(
                Reason.TOO_LARGE,
                assertThrows(
                                ImageRejectedException.class,
                                () -> tiny.normalize(TestImages.png(1, 64, 64), null, "big"))
                        .reason());
    }

    @Test
    void refusesDecompressionBombFromItsHeaderWithoutDecoding() throws IOException {
        byte[] bomb = TestImages.pngBomb(20000, 20000);
        assertTrue(bomb.length < 2_000_000, "bomb is " + bomb.length + " bytes");
        // It is a real image: ImageIO reads its header.
        var reader = ImageIO.getImageReadersByFormatName("png").next();
        reader.setInput(ImageIO.createImageInputStream(new ByteArrayInputStream(bomb)));
        assertEquals(20000, reader.getWidth(0));
        long before = System.nanoTime();
        ImageRejectedException e =
                assertThrows(
                        ImageRejectedException.class,
                        () -> normalizer.normalize(bomb, "image/png", "bomb.png"));
        assertEquals(Reason.TOO_MANY_PIXELS, e.reason());
        assertTrue(e.getMessage().contains("20000x20000"), e.getMessage());
        // Decoding 1.2 GB of pixels would take seconds (or run out of memory).
        assertTrue(System.nanoTime() - before < 1_000_000_000L);
    }

    @Test
    void refusesTruncatedImages() {
        byte[] jpg = TestImages.jpeg(4, 200, 200);
        byte[] png = TestImages.png(4, 200, 200);
        for (byte[] whole : new byte[][] {jpg, png}) {
            byte[] half = Arrays.copyOf(whole, whole.length / 2);
            assertEquals(
                    Reason.UNDECODABLE,
                    assertThrows(
                                    ImageRejectedException.class,
                                    () -> normalizer.normalize(half, "image/jpeg", "half"))
                            .reason());
        }
    }

    @Test
    void refusesRandomBytes() {
        byte[] noise = new byte[1000];
        new java.util.Random(1).nextBytes(noise);
        assertEquals(
                Reason.UNDECODABLE,
                assertThrows(
                                ImageRejectedException.class,
                                () -> normalizer.normalize(noise, null, "noise"))
                        .reason());
    }
}
