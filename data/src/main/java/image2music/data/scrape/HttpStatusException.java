package image2music.data.scrape;

import java.io.IOException;
import java.net.URI;

/** A request that ended with an HTTP error status (after any retries). */
public final class HttpStatusException extends IOException {

    private final int status;

    public HttpStatusException(URI uri, int status, String detail) {
        super(uri + ": HTTP " + status + (detail.isEmpty() ? "" : " (" + detail + ")"));
        this.status = status;
    }

    public int status() {
        return status;
    }
}
