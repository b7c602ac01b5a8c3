package image2music.data.scrape;

import java.net.URI;

/**
 * A successful (2xx) response.
 *
 * @param uri the final URI, after redirects
 * @param contentType the {@code Content-Type} header, or null
 * @param body the whole body
 */
public record FetchResponse(URI uri, String contentType, byte[] body) {}
