package image2music.data.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    /** A random source whose doubles are always {@code value}. */
    static RandomGenerator constant(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    private final HttpParams params =
            HttpParams.DEFAULTS.withMaxRetries(3); // backoff 1 s doubling, at most 60 s

    @Test
    void backoffDoublesWithHalfOfEachStepJittered() {
        RetryPolicy low = new RetryPolicy(params, CLOCK, constant(0));
        RetryPolicy high = new RetryPolicy(params, CLOCK, constant(0.999999));
        assertEquals(Duration.ofMillis(500), low.delay(0, Optional.empty()));
        assertEquals(Duration.ofMillis(999), high.delay(0, Optional.empty()));
        assertEquals(Duration.ofMillis(1000), low.delay(1, Optional.empty()));
        assertEquals(Duration.ofMillis(2000), low.delay(2, Optional.empty()));
        // Capped at max backoff, however many attempts.
        assertEquals(Duration.ofSeconds(30), low.delay(40, Optional.empty()));
        assertEquals(Duration.ofMillis(59_999), high.delay(40, Optional.empty()));
    }

    @Test
    void retryAfterSecondsAndDatesAreHonouredUpToTheCap() {
        RetryPolicy p = new RetryPolicy(params, CLOCK, constant(0));
        assertEquals(Duration.ofSeconds(7), p.delay(0, Optional.of("7")));
        assertEquals(
                Duration.ofSeconds(90), p.delay(0, Optional.of("Thu, 01 Jan 2026 00:01:30 GMT")));
        // A date in the past or garbage: plain backoff.
        assertEquals(
                Duration.ofMillis(500), p.delay(0, Optional.of("Wed, 31 Dec 2025 00:00:00 GMT")));
        assertEquals(Duration.ofMillis(500), p.delay(0, Optional.of("soon")));
        // Shorter than the backoff: the backoff wins.
        assertEquals(Duration.ofMillis(2000), p.delay(2, Optional.of("1")));
        // Capped at max Retry-After (5 min).
        assertEquals(Duration.ofMinutes(5), p.delay(0, Optional.of("86400")));
    }

    @Test
    void retryBudgetCountsRetriesAfterTheFirstAttempt() {
        RetryPolicy p = new RetryPolicy(params, CLOCK, constant(0));
        assertTrue(p.mayRetry(0));
        assertTrue(p.mayRetry(2));
        assertFalse(p.mayRetry(3));
    }
}
