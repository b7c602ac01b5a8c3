package image2music.data.scrape;

import java.time.Duration;

/**
 * HTTP behaviour of the scrapers.
 *
 * @param userAgent the {@code User-Agent} header
 * @param connectTimeout limit for opening a connection
 * @param requestTimeout limit for one whole request, headers and body
 * @param maxRetries retries after the first attempt on timeouts, I/O errors, 429 and 5xx
 * @param initialBackoff the first retry's delay before jitter; doubles on each retry
 * @param maxBackoff the longest backoff delay
 * @param maxRetryAfter the longest wait a server's {@code Retry-After} may ask for
 */
public record HttpParams(
        String userAgent,
        Duration connectTimeout,
        Duration requestTimeout,
        int maxRetries,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration maxRetryAfter) {

    /** A desktop browser's user agent: Bing serves its plain HTML result pages to those. */
    public static final String BROWSER_USER_AGENT =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
                    + " Chrome/124.0 Safari/537.36";

    public static final HttpParams DEFAULTS =
            new HttpParams(
                    BROWSER_USER_AGENT,
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(30),
                    4,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(60),
                    Duration.ofMinutes(5));

    public HttpParams {
        requirePositive(connectTimeout, "connect timeout");
        requirePositive(requestTimeout, "request timeout");
        requirePositive(initialBackoff, "initial backoff");
        requirePositive(maxBackoff, "max backoff");
        requirePositive(maxRetryAfter, "max Retry-After");
        if (maxRetries < 0) {
            throw new IllegalArgumentException("max retries must be >= 0, got " + maxRetries);
        }
        if (userAgent == null || userAgent.isBlank()) {
            throw new IllegalArgumentException("user agent must not be empty");
        }
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }

    public HttpParams withRequestTimeout(Duration d) {
        return new HttpParams(
                userAgent,
                connectTimeout,
                d,
                maxRetries,
                initialBackoff,
                maxBackoff,
                maxRetryAfter);
    }

    public HttpParams withMaxRetries(int n) {
        return new HttpParams(
                userAgent,
                connectTimeout,
                requestTimeout,
                n,
                initialBackoff,
                maxBackoff,
                maxRetryAfter);
    }

    public HttpParams withUserAgent(String ua) {
        return new HttpParams(
                ua,
                connectTimeout,
                requestTimeout,
                maxRetries,
                initialBackoff,
                maxBackoff,
                maxRetryAfter);
    }

    public HttpParams withConnectTimeout(Duration d) {
        return new HttpParams(
                userAgent,
                d,
                requestTimeout,
                maxRetries,
                initialBackoff,
                maxBackoff,
                maxRetryAfter);
    }
}
