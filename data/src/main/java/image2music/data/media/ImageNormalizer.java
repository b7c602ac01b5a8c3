package image2music.data.media;

import image2music.core.image.PilRgb;
import image2music.data.media.ImageRejectedException.Reason;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Validates an image and re-encodes it for storage: checks the content type and size, reads the
 * dimensions from the header and refuses decompression bombs before decoding, decodes (damaged data
 * such as a truncated JPEG is refused, not kept half-grey), converts to RGB dropping alpha,
 * optionally scales down, computes the perceptual hash and encodes as JPEG or PNG.
 *
 * <p>A pure function of its input and {@link ImageParams}; safe to call from several threads.
 */
public final class ImageNormalizer {

    static {
        // ImageIO's default disk cache writes temp files for every stream; memory is enough here.
        ImageIO.setUseCache(false);
    }

    private final ImageParams params;

    public ImageNormalizer(ImageParams params) {
        this.params = params;
    }

    public ImageParams params() {
        return params;
    }

    /**
     * Validates and converts one image.
     *
     * @param bytes the downloaded or read bytes
     * @param contentType the HTTP content type, or null when unknown (local files)
     * @param source where the bytes came from (a URL or a path), for messages
     */
    public NormalizedImage normalize(byte[] bytes, String contentType, String source)
            throws ImageRejectedException {
        checkContentType(contentType, source);
        if (bytes.length > params.maxBytes()) {
            throw new ImageRejectedException(
                    source,
                    Reason.TOO_LARGE,
                    bytes.length + " bytes exceeds the limit of " + params.maxBytes());
        }
        BufferedImage decoded = decode(bytes, source);
        BufferedImage rgb = Resize.toFit(toRgb(decoded), maxSideOrHuge());
        long phash = PerceptualHash.of(rgb);
        byte[] encoded = encode(rgb);
        return new NormalizedImage(
                encoded, params.format(), rgb.getWidth(), rgb.getHeight(), phash);
    }

    private int maxSideOrHuge() {
        return params.maxSide() > 0 ? params.maxSide() : Integer.MAX_VALUE;
    }

    private static void checkContentType(String contentType, String source)
            throws ImageRejectedException {
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        String mime = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        boolean ok =
                mime.startsWith("image/")
                        || mime.equals("application/octet-stream")
                        || mime.equals("binary/octet-stream");
        if (!ok) {
            throw new ImageRejectedException(
                    source, Reason.CONTENT_TYPE, "content type '" + mime + "' is not an image");
        }
    }

    private BufferedImage decode(byte[] bytes, String source) throws ImageRejectedException {
        try (ImageInputStream in =
                ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageRejectedException(
                        source, Reason.UNDECODABLE, "not a recognised image format");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                if (w <= 0 || h <= 0) {
                    throw new ImageRejectedException(
                            source,
                            Reason.UNDECODABLE,
                            "image has no pixels (" + w + "x" + h + ")");
                }
                if (w * h > params.maxPixels()) {
                    throw new ImageRejectedException(
                            source,
                            Reason.TOO_MANY_PIXELS,
                            w + "x" + h + " pixels exceeds the limit of " + params.maxPixels());
                }
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((r, warning) -> warnings.add(warning));
                BufferedImage image = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw new ImageRejectedException(
                            source, Reason.UNDECODABLE, "damaged image: " + warnings.get(0));
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // Image readers signal corrupt data with all kinds of runtime exceptions.
            throw new ImageRejectedException(
                    source, Reason.UNDECODABLE, "cannot decode image: " + e.getMessage());
        }
    }

    /**
     * RGB as the tagger reads it ({@link PilRgb}: alpha dropped, the colour under a transparent
     * pixel kept, as PIL's {@code convert("RGB")}), so a stored picture is what training and
     * inference would have seen in the original.
     */
    private static BufferedImage toRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        return PilRgb.image(image);
    }

    private byte[] encode(BufferedImage rgb) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageWriter writer =
                ImageIO.getImageWritersByFormatName(params.format().imageIoName()).next();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam wp = writer.getDefaultWriteParam();
            if (params.format() == ImageFormat.JPEG) {
                wp.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                wp.setCompressionQuality(params.jpegQuality());
            }
            writer.write(null, new IIOImage(rgb, null, null), wp);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to encode image in memory", e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
