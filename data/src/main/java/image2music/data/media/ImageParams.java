package image2music.data.media;

/**
 * Limits and output settings for image validation and conversion.
 *
 * @param maxBytes the largest accepted input, in bytes
 * @param maxPixels the largest accepted width × height, checked from the header before decoding
 * @param maxSide if positive, images whose longer side exceeds it are scaled down to it
 * @param format the stored format
 * @param jpegQuality JPEG quality in (0, 1]
 */
public record ImageParams(
        long maxBytes, long maxPixels, int maxSide, ImageFormat format, float jpegQuality) {

    /** 20 MB, 50 megapixels, no resize, JPEG at quality 0.92. */
    public static final ImageParams DEFAULTS =
            new ImageParams(20L << 20, 50_000_000L, 0, ImageFormat.JPEG, 0.92f);

    public ImageParams {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("max bytes must be positive, got " + maxBytes);
        }
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("max pixels must be positive, got " + maxPixels);
        }
        if (maxSide < 0) {
            throw new IllegalArgumentException("max side must be >= 0, got " + maxSide);
        }
        if (!(jpegQuality > 0 && jpegQuality <= 1)) {
            throw new IllegalArgumentException(
                    "JPEG quality must be in (0, 1], got " + jpegQuality);
        }
        if (format == null) {
            throw new IllegalArgumentException("format is required");
        }
    }

    public ImageParams withMaxSide(int side) {
        return new ImageParams(maxBytes, maxPixels, side, format, jpegQuality);
    }

    public ImageParams withFormat(ImageFormat f) {
        return new ImageParams(maxBytes, maxPixels, maxSide, f, jpegQuality);
    }

    public ImageParams withMaxBytes(long bytes) {
        return new ImageParams(bytes, maxPixels, maxSide, format, jpegQuality);
    }

    public ImageParams withMaxPixels(long pixels) {
        return new ImageParams(maxBytes, pixels, maxSide, format, jpegQuality);
    }
}
