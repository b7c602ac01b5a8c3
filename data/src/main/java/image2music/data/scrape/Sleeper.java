package image2music.data.scrape;

import java.time.Duration;

/** Waits; injected so that tests of backoff and politeness delays never really sleep. */
@FunctionalInterface
public interface Sleeper {

    /** Sleeps with {@link Thread#sleep}. */
    Sleeper SYSTEM =
            d -> {
                if (!d.isNegative() && !d.isZero()) {
                    Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
                }
            };

    void sleep(Duration duration) throws InterruptedException;
}
