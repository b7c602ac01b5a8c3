package image2music.models.vit;

import image2music.core.io.InputFiles;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Reads image files as PIL's {@code convert("RGB")} would see them, from the raw samples: Java2D's
 * {@code getRGB} colour-converts grayscale (its gray space is linear, so mid-grays come out
 * darker), which PIL does not. Grayscale is replicated to R = G = B; palettes are looked up; alpha
 * is dropped, the colour under a transparent pixel kept (PIL's {@code convert("RGB")}, which
 * transformers' image pipelines apply; not a composite over white), in training and inference
 * alike; 16-bit and low-bit samples are scaled to 8 bits.
 */
public final class RgbImages {

    /** PIL refuses images beyond twice its MAX_IMAGE_PIXELS as decompression bombs. */
    static final long MAX_PIXELS = 2L * 89_478_485;

    /** Largest image file read; the decoder only streams it, but a bound says "too big" early. */
    static final long MAX_FILE_BYTES = 1L << 30;

    private RgbImages() {}

    /** Reads {@code path}; an unreadable or unsupported file is an IOException naming it. */
    public static RgbImage read(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString());
        }
        InputFiles.requireRegularFile(path, MAX_FILE_BYTES, "an image");
        try (ImageInputStream in = ImageIO.createImageInputStream(path.toFile())) {
            return decode(in, path.toString(), MAX_PIXELS);
        }
    }

    /**
     * Decodes an image held in memory (an upload), refusing one of more than {@code maxPixels}
     * pixels from its header, before any pixel is decoded.
     *
     * @param name what errors call it
     * @throws IOException naming it when it is not an image we read, too large or corrupt
     */
    public static RgbImage decode(byte[] bytes, String name, long maxPixels) throws IOException {
        // Bytes already in memory need no cache: ImageIO's default for a stream is a temporary
        // file (ImageIO.getUseCache), which made decoding a Parquet row ~1.5x slower than its file.
        try (ImageInputStream in =
                new MemoryCacheImageInputStream(new java.io.ByteArrayInputStream(bytes))) {
            return decode(in, name, Math.min(maxPixels, MAX_PIXELS));
        }
    }

    private static RgbImage decode(ImageInputStream in, String name, long maxPixels)
            throws IOException {
        BufferedImage img;
        try {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new NotAnImageException(name + ": not an image in a format we can read");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > maxPixels) {
                    throw new TooManyPixelsException(
                            name
                                    + ": image of "
                                    + pixels
                                    + " pixels exceeds the limit of "
                                    + maxPixels
                                    + " (decompression bomb?)");
                }
                img = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(name)) {
                throw e;
            }
            throw new IOException(name + ": cannot decode image: " + e.getMessage(), e);
        }
        return toRgb(img);
    }

    /** A file or upload that no image reader recognises. */
    public static final class NotAnImageException extends IOException {
        NotAnImageException(String message) {
            super(message);
        }
    }

    /** An image whose header claims more pixels than allowed (a decompression bomb). */
    public static final class TooManyPixelsException extends IOException {
        TooManyPixelsException(String message) {
            super(message);
        }
    }

    /** Converts a decoded image to RGB from its raw samples. */
    public static RgbImage toRgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] out = new byte[3 * w * h];
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
            return new RgbImage(w, h, out);
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
        return new RgbImage(w, h, out);
    }

    private static void putArgb(byte[] out, int o, int argb) {
        out[o] = (byte) (argb >> 16);
        out[o + 1] = (byte) (argb >> 8);
        out[o + 2] = (byte) argb;
    }

    /** A sample of {@code bits} bits scaled to 0..255 (rounded). */
    static int to8(int v, int bits) {
        if (bits == 8) {
            return v;
        }
        int max = (1 << bits) - 1;
        return (int) ((v * 255L + max / 2) / max);
    }
}
