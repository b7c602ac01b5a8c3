package image2music.app.web;

/** A request the API refuses, with the HTTP status to answer and a message for the client. */
public final class ApiException extends RuntimeException {

    private final int status;
    private final Integer retryAfterSeconds;

    public ApiException(int status, String message) {
        this(status, message, null);
    }

    /**
     * @param retryAfterSeconds sent as {@code Retry-After} (with 429 and 503), or null
     */
    public ApiException(int status, String message, Integer retryAfterSeconds) {
        super(message);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    /** Seconds after which the client may try again, or null. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
