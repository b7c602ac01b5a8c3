package image2music.data.media;

/**
 * An image that passed validation, re-encoded for storage.
 *
 * @param bytes the encoded RGB image
 * @param format its format (gives the file extension)
 * @param width stored width in pixels
 * @param height stored height in pixels
 * @param phash its 64-bit DCT perceptual hash
 */
public record NormalizedImage(byte[] bytes, ImageFormat format, int width, int height, long phash) {

    /** The perceptual hash as 16 lower-case hex digits, as stored in the manifest. */
    public String phashHex() {
        return PerceptualHash.toHex(phash);
    }
}
