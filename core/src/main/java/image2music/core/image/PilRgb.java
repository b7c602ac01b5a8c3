package image2music.core.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * A decoded image as PIL's {@code convert("RGB")} sees it, from the raw samples: Java2D's {@code
 * getRGB} colour-converts grayscale (its gray space is linear, so mid-grays come out darker), which
 * PIL does not. Grayscale is replicated to R = G = B; palettes are looked up; alpha is dropped, the
 * colour under a transparent pixel kept (not a composite over white); 16-bit and low-bit samples
 * are scaled to 8 bits. The one rule for every picture we store, train on or tag.
 */
public final class PilRgb {

    private PilRgb() {}

    /** The pixels of {@code img} as interleaved 8-bit R, G, B, row by row. */
    public static byte[] bytes(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] out = new byte[Math.multiplyExact(3, Math.multiplyExact(w, h))];
        ColorModel cm = img.getColorModel();
        Raster r = img.getRaster();
        int csType = cm.getColorSpace().getType();
        boolean raw =
                cm instanceof IndexColorModel
                        || csType == ColorSpace.TYPE_GRAY
                        || (csType == ColorSpace.TYPE_RGB && cm.getColorSpace().isCS_sRGB());
        if (!raw) {
            // CMYK, linear RGB and other spaces: let Java2D convert to sRGB.
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    putArgb(out, 3 * (y * w + x), img.getRGB(x, y));
                }
            }
            return out;
        }
        int colourBands = cm instanceof IndexColorModel ? 1 : cm.getNumColorComponents();
        int[] px = new int[r.getNumBands()];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.getPixel(x, y, px);
                int o = 3 * (y * w + x);
                if (cm instanceof IndexColorModel icm) {
                    int i = px[0];
                    out[o] = (byte) icm.getRed(i);
                    out[o + 1] = (byte) icm.getGreen(i);
                    out[o + 2] = (byte) icm.getBlue(i);
                    continue;
                }
                for (int c = 0; c < 3; c++) {
                    int band = colourBands == 1 ? 0 : c;
                    out[o + c] = (byte) to8(px[band], cm.getComponentSize(band));
                }
            }
        }
        return out;
    }

    /** {@code img} as an opaque {@link BufferedImage#TYPE_INT_RGB} image, by {@link #bytes}. */
    public static BufferedImage image(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] rgb = bytes(img);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = 3 * (y * w + x);
                row[x] = (rgb[o] & 0xff) << 16 | (rgb[o + 1] & 0xff) << 8 | (rgb[o + 2] & 0xff);
            }
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        return out;
    }

    private static void putArgb(byte[] out, int o, int argb) {
        out[o] = (byte) (argb >> 16);
        out[o + 1] = (byte) (argb >> 8);
        out[o + 2] = (byte) argb;
    }

    /** A sample of {@code bits} bits scaled to 0..255 (rounded). */
    public static int to8(int v, int bits) {
        if (bits == 8) {
            return v;
        }
        int max = (1 << bits) - 1;
        return (int) ((v * 255L + max / 2) / max);
    }
}
