package image2music.models.vit.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Test images for the dataset tests: a seeded base colour with per-pixel noise, so different seeds
 * give different bytes (and content hashes). Kept here rather than shared with {@code data}'s test
 * helpers so {@code models} needs nothing from {@code data}.
 */
final class SeededImages {

    private SeededImages() {}

    /** A {@code w} × {@code h} RGB image drawn from {@code seed}. */
    static BufferedImage image(long seed, int w, int h) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] base = {r.nextInt(256), r.nextInt(256), r.nextInt(256)};
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = 0;
                for (int c : base) {
                    rgb = (rgb << 8) | Math.max(0, Math.min(255, c + r.nextInt(61) - 30));
                }
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    /** {@link #image} encoded as PNG. */
    static byte[] png(long seed, int w, int h) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image(seed, w, h), "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
