package image2music.data.media;

import java.util.Locale;

/** The formats images are stored in: every kept image is re-encoded as RGB in one of these. */
public enum ImageFormat {
    JPEG("jpg", "jpeg"),
    PNG("png", "png");

    private final String extension;
    private final String imageIoName;

    ImageFormat(String extension, String imageIoName) {
        this.extension = extension;
        this.imageIoName = imageIoName;
    }

    /** The file-name extension, without the dot. */
    public String extension() {
        return extension;
    }

    /** The ImageIO format name of the writer. */
    String imageIoName() {
        return imageIoName;
    }

    /** Parses {@code jpg}, {@code jpeg} or {@code png} (any case). */
    public static ImageFormat parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "jpg", "jpeg" -> JPEG;
            case "png" -> PNG;
            default ->
                    throw new IllegalArgumentException(
                            "image format '" + name + "' is not supported (use jpg or png)");
        };
    }
}
