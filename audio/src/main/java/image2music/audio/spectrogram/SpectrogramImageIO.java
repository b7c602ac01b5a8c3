package image2music.audio.spectrogram;

import image2music.core.io.AtomicFiles;
import image2music.core.io.InputFiles;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.w3c.dom.NodeList;

/**
 * Spectrogram images on disk with their parameters: PNG with an {@code eXIf} chunk before the image
 * data, or JPEG with an APP1 Exif segment, chosen by the file extension. Reading accepts any image
 * ImageIO decodes; without Riffusion tags the parameters are the defaults.
 */
public final class SpectrogramImageIO {

    /** Largest image accepted, checked from the header before decoding (decompression bombs). */
    public static final long MAX_PIXELS = 1L << 26;

    /** PNG deflate setting: ImageIO's explicit quality 0.75 encodes ~25 % faster than default. */
    static final float PNG_QUALITY = 0.75f;

    static final float JPEG_QUALITY = 0.95f;

    private static final byte[] PNG_SIGNATURE = {
        (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'
    };
    private static final byte[] EXIF_HEADER = {'E', 'x', 'i', 'f', 0, 0};

    /** An image read back with the parameters and maximum its metadata gave. */
    public record Loaded(BufferedImage image, SpectrogramParams params, OptionalDouble maxValue) {

        /** MAX_VALUE when present, else Riffusion's fixed 30e6. */
        public double maxValueOrDefault() {
            return maxValue.orElse(SpectrogramImage.DEFAULT_MAX_VALUE);
        }
    }

    private SpectrogramImageIO() {}

    /** Writes {@code img} with the tags for {@code p} and {@code maxValue}, atomically. */
    public static void write(Path file, BufferedImage img, SpectrogramParams p, double maxValue)
            throws IOException {
        AtomicFiles.write(file, encode(file, img, p, maxValue));
    }

    /** The file bytes {@link #write} would write ({@code file} picks the format by extension). */
    public static byte[] encode(Path file, BufferedImage img, SpectrogramParams p, double maxValue)
            throws IOException {
        byte[] tiff = SpectrogramExif.encode(p, maxValue);
        return switch (format(file)) {
            case "png" -> withPngExif(encodeWith("png", img, PNG_QUALITY), tiff);
            case "jpeg" -> withJpegExif(file, encodeWith("jpeg", rgb(img), JPEG_QUALITY), tiff);
            default ->
                    throw new IllegalArgumentException(
                            file + ": unsupported image extension (use .png, .jpg or .jpeg)");
        };
    }

    /** Largest spectrogram image file read (a 8192 x 8192 PNG of noise is about 200 MB). */
    public static final long MAX_FILE_BYTES = 256L << 20;

    /** The file's bytes, once it is known to be a regular file of a sane size. */
    private static byte[] readBounded(Path file) throws IOException {
        InputFiles.requireRegularFile(file, MAX_FILE_BYTES, "a spectrogram image");
        return Files.readAllBytes(file);
    }

    /** Reads an image and its Riffusion tags. */
    public static Loaded read(Path file) throws IOException {
        byte[] bytes = readBounded(file);
        BufferedImage img = decode(file, bytes);
        Map<SpectrogramExif.Tag, Number> tags;
        try {
            byte[] tiff = exifBlock(bytes);
            tags = tiff == null ? Map.of() : SpectrogramExif.decode(tiff);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": bad EXIF metadata: " + e.getMessage(), e);
        }
        try {
            return new Loaded(img, SpectrogramExif.params(tags), SpectrogramExif.maxValue(tags));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": EXIF spectrogram parameters: " + e.getMessage(), e);
        }
    }

    /** The Riffusion tags of an image file without decoding its pixels (empty if none). */
    public static Map<SpectrogramExif.Tag, Number> readTags(Path file) throws IOException {
        byte[] bytes = readBounded(file);
        try {
            byte[] tiff = exifBlock(bytes);
            return tiff == null ? Map.of() : SpectrogramExif.decode(tiff);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": bad EXIF metadata: " + e.getMessage(), e);
        }
    }

    /**
     * The Riffusion tags of an encoded image held in memory (a Parquet row), without decoding its
     * pixels (empty if none); {@code name} says where it came from in a message.
     */
    public static Map<SpectrogramExif.Tag, Number> readTags(byte[] bytes, String name)
            throws IOException {
        try {
            byte[] tiff = exifBlock(bytes);
            return tiff == null ? Map.of() : SpectrogramExif.decode(tiff);
        } catch (IllegalArgumentException e) {
            throw new IOException(name + ": bad EXIF metadata: " + e.getMessage(), e);
        }
    }

    private static String format(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".png")) {
            return "png";
        }
        if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
            return "jpeg";
        }
        return "";
    }

    static byte[] encodeWith(String format, BufferedImage img, float quality) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
        if (!writers.hasNext()) {
            throw new IOException("no ImageIO writer for " + format);
        }
        ImageWriter w = writers.next();
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bos)) {
            w.setOutput(out);
            ImageWriteParam param = w.getDefaultWriteParam();
            if (param.canWriteCompressed()) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality);
            }
            IIOMetadata metadata = null;
            if (format.equals("jpeg")) {
                metadata = fullChromaResolution(w, img, param);
            }
            w.write(null, new IIOImage(img, null, metadata), param);
        } finally {
            w.dispose();
        }
        return bos.toByteArray();
    }

    /**
     * JPEG metadata without chroma subsampling: a stereo image keeps its two channels in G and B,
     * which 4:2:0 subsampling would blur across neighbouring frames and bins.
     */
    private static IIOMetadata fullChromaResolution(
            ImageWriter w, BufferedImage img, ImageWriteParam param) throws IOException {
        IIOMetadata metadata =
                w.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), param);
        String format = "javax_imageio_jpeg_image_1.0";
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
        NodeList specs = root.getElementsByTagName("componentSpec");
        for (int i = 0; i < specs.getLength(); i++) {
            IIOMetadataNode spec = (IIOMetadataNode) specs.item(i);
            spec.setAttribute("HsamplingFactor", "1");
            spec.setAttribute("VsamplingFactor", "1");
        }
        metadata.setFromTree(format, root);
        return metadata;
    }

    /** JPEG has no alpha; ImageIO writes odd colour spaces for it. */
    private static BufferedImage rgb(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_INT_RGB
                || img.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            return img;
        }
        BufferedImage out =
                new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        out.getGraphics().drawImage(img, 0, 0, null);
        return out;
    }

    /** Inserts an eXIf chunk before the first IDAT (or replaces an existing one). */
    static byte[] withPngExif(byte[] png, byte[] tiff) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(png.length + tiff.length + 12);
        out.write(png, 0, 8);
        int p = 8;
        boolean written = false;
        while (p + 8 <= png.length) {
            int len = ByteBuffer.wrap(png, p, 4).getInt();
            String type = new String(png, p + 4, 4, StandardCharsets.US_ASCII);
            int total = 12 + len;
            if (!written && (type.equals("IDAT") || type.equals("IEND"))) {
                writeChunk(out, "eXIf", tiff);
                written = true;
            }
            if (!type.equals("eXIf")) {
                out.write(png, p, total);
            }
            p += total;
        }
        return out.toByteArray();
    }

    private static void writeChunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** Inserts an APP1 Exif segment after SOI and any APP0 (JFIF) segment. */
    static byte[] withJpegExif(Path file, byte[] jpeg, byte[] tiff) throws IOException {
        if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
            throw new IOException(file + ": the JPEG encoder produced no SOI marker");
        }
        int p = 2;
        if ((jpeg[2] & 0xFF) == 0xFF && (jpeg[3] & 0xFF) == 0xE0) {
            p = 4 + (((jpeg[4] & 0xFF) << 8) | (jpeg[5] & 0xFF));
        }
        int segLen = 2 + EXIF_HEADER.length + tiff.length;
        if (segLen > 0xFFFF) {
            throw new IOException(file + ": EXIF block too large for a JPEG segment");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length + segLen + 2);
        out.write(jpeg, 0, p);
        out.write(0xFF);
        out.write(0xE1);
        out.write(segLen >> 8);
        out.write(segLen & 0xFF);
        out.writeBytes(EXIF_HEADER);
        out.writeBytes(tiff);
        out.write(jpeg, p, jpeg.length - p);
        return out.toByteArray();
    }

    /** The TIFF block of a PNG eXIf chunk or a JPEG APP1 Exif segment; null if none. */
    static byte[] exifBlock(byte[] b) {
        if (startsWith(b, PNG_SIGNATURE)) {
            int p = 8;
            while (p + 12 <= b.length) {
                int len = ByteBuffer.wrap(b, p, 4).getInt();
                if (len < 0 || p + 12L + len > b.length) {
                    return null;
                }
                String type = new String(b, p + 4, 4, StandardCharsets.US_ASCII);
                if (type.equals("eXIf")) {
                    return java.util.Arrays.copyOfRange(b, p + 8, p + 8 + len);
                }
                if (type.equals("IEND")) {
                    return null;
                }
                p += 12 + len;
            }
            return null;
        }
        if (b.length > 4 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8) {
            int p = 2;
            while (p + 4 <= b.length && (b[p] & 0xFF) == 0xFF) {
                int marker = b[p + 1] & 0xFF;
                if (marker == 0xDA || marker == 0xD9) {
                    return null;
                }
                int len = ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
                int body = p + 4;
                if (marker == 0xE1
                        && len >= 2 + EXIF_HEADER.length
                        && body + len - 2 <= b.length
                        && startsWith(
                                java.util.Arrays.copyOfRange(b, body, body + 6), EXIF_HEADER)) {
                    return java.util.Arrays.copyOfRange(b, body + 6, body + len - 2);
                }
                p += 2 + len;
            }
        }
        return null;
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static BufferedImage decode(Path file, byte[] bytes) throws IOException {
        try (ImageInputStream in =
                ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException(file + ": not an image ImageIO can read");
            }
            ImageReader r = readers.next();
            try {
                r.setInput(in, true, true);
                long pixels = (long) r.getWidth(0) * r.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new IOException(
                            file
                                    + ": image of "
                                    + r.getWidth(0)
                                    + "x"
                                    + r.getHeight(0)
                                    + " px is too large");
                }
                return r.read(0);
            } catch (IOException | RuntimeException e) {
                if (e.getMessage() != null && e.getMessage().startsWith(file.toString())) {
                    throw e;
                }
                throw new IOException(file + ": cannot decode image: " + e.getMessage(), e);
            } finally {
                r.dispose();
            }
        }
    }
}
