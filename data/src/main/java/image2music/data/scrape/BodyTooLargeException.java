package image2music.data.scrape;

import java.io.IOException;
import java.net.URI;

/** A response body longer than the caller's limit; the download was aborted, not retried. */
public final class BodyTooLargeException extends IOException {

    public BodyTooLargeException(URI uri, long limit) {
        super(uri + ": response is larger than the limit of " + limit + " bytes");
    }
}
