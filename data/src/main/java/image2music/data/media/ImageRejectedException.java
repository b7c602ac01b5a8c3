package image2music.data.media;

/**
 * A downloaded or imported image that fails validation. The reason is counted in summaries; the
 * message names the source and the problem.
 */
public final class ImageRejectedException extends Exception {

    /** Why an image was refused. */
    public enum Reason {
        /** The server said it is not an image (e.g. {@code text/html}). */
        CONTENT_TYPE("content-type"),
        /** More bytes than the limit. */
        TOO_LARGE("too-large"),
        /** Width × height over the pixel limit, read from the header before decoding. */
        TOO_MANY_PIXELS("too-many-pixels"),
        /** No image reader accepts the bytes, or decoding fails. */
        UNDECODABLE("undecodable");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        /** A short kebab-case name for summaries and logs. */
        public String label() {
            return label;
        }
    }

    private final Reason reason;

    public ImageRejectedException(String source, Reason reason, String problem) {
        super(source + ": " + problem);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
