package image2music.data.scrape;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * How long to wait before a retry: exponential backoff with "equal jitter" (half the step fixed,
 * half random, so concurrent clients spread out but never retry at once), or the server's {@code
 * Retry-After} when it asks for longer. The clock and the random source are injected so tests are
 * exact.
 */
public final class RetryPolicy {

    private final HttpParams params;
    private final Clock clock;
    private final RandomGenerator random;

    public RetryPolicy(HttpParams params, Clock clock, RandomGenerator random) {
        this.params = params;
        this.clock = clock;
        this.random = random;
    }

    /** Whether another attempt is allowed after {@code attempt} (0-based) failed. */
    public boolean mayRetry(int attempt) {
        return attempt < params.maxRetries();
    }

    /**
     * The delay before retry number {@code attempt + 1}, given the failed attempt's {@code
     * Retry-After} header value if any.
     */
    public Duration delay(int attempt, Optional<String> retryAfter) {
        long max = params.maxBackoff().toMillis();
        long step = params.initialBackoff().toMillis() << Math.min(attempt, 30);
        step = Math.min(max, step <= 0 ? max : step);
        long half = step / 2;
        long backoff = half + (long) (random.nextDouble() * (step - half));
        long asked = retryAfter.flatMap(this::parseRetryAfter).map(Duration::toMillis).orElse(0L);
        asked = Math.min(asked, params.maxRetryAfter().toMillis());
        return Duration.ofMillis(Math.max(backoff, asked));
    }

    /**
     * {@code Retry-After} as delta-seconds or an HTTP date (RFC 9110 §10.2.3); empty if invalid.
     */
    Optional<Duration> parseRetryAfter(String value) {
        String v = value.trim();
        if (v.matches("\\d{1,9}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(clock.instant(), at);
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
