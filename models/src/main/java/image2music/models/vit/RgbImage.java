package image2music.models.vit;

/**
 * An 8-bit RGB image, row-major, three bytes per pixel: what PIL calls an "RGB" image.
 *
 * @param pixels R, G, B of pixel (x, y) at {@code 3 * (y * width + x)}
 */
public record RgbImage(int width, int height, byte[] pixels) {

    public RgbImage {
        if (width <= 0 || height <= 0 || pixels.length != 3L * width * height) {
            throw new IllegalArgumentException(
                    "RGB image "
                            + width
                            + "x"
                            + height
                            + " needs "
                            + 3L * width * height
                            + " bytes, got "
                            + pixels.length);
        }
    }

    /** Channel {@code c} (0 = R) of pixel (x, y), 0..255. */
    public int get(int x, int y, int c) {
        return pixels[3 * (y * width + x) + c] & 0xFF;
    }
}
