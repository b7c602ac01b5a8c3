package image2music.models.vit;

import image2music.core.image.PilRgb;
import image2music.core.io.InputFiles;
import java.awt.image.BufferedImage;
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
 * Reads image files as PIL's {@code convert("RGB")} would see them ({@link PilRgb}: from the raw
 * samples, alpha dropped as transformers' image pipelines drop it, not composited over white), in
 * training and inference alike.
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

    /** Converts a decoded image to RGB from its raw samples ({@link PilRgb}). */
    public static RgbImage toRgb(BufferedImage img) {
        return new RgbImage(img.getWidth(), img.getHeight(), PilRgb.bytes(img));
    }

    /** A sample of {@code bits} bits scaled to 0..255 (rounded). */
    static int to8(int v, int bits) {
        return PilRgb.to8(v, bits);
    }
}
