package image2music.data.scrape;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.data.scrape.FakeWebServer.Fault;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpFetcherTest {

    private static final byte[] BODY = "0123456789".repeat(1000).getBytes();

    private FakeWebServer server;
    private RecordingSleeper sleeper;
    private HttpFetcher fetcher;

    @BeforeEach
    void start() throws IOException {
        server = new FakeWebServer();
        sleeper = new RecordingSleeper();
        HttpParams params =
                HttpParams.DEFAULTS.withRequestTimeout(Duration.ofMillis(1500)).withMaxRetries(3);
        fetcher =
                new HttpFetcher(
                        params,
                        new RetryPolicy(params, RetryPolicyTest.CLOCK, RetryPolicyTest.constant(0)),
                        sleeper);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private FetchResponse get(String name, Fault fault) throws Exception {
        server.image(name, BODY, "image/png", fault);
        return fetcher.get(URI.create(server.imageUrl(name)), 1 << 20);
    }

    @Test
    void plainGetReturnsBodyAndType() throws Exception {
        FetchResponse r = get("a", Fault.NONE);
        assertArrayEquals(BODY, r.body());
        assertEquals("image/png", r.contentType());
        assertEquals(List.of(), sleeper.sleeps);
    }

    @Test
    void retries500sWithExponentialBackoff() throws Exception {
        assertArrayEquals(BODY, get("a", Fault.ERROR_500_TWICE).body());
        assertEquals(3, server.requests("/img/a"));
        assertEquals(List.of(Duration.ofMillis(500), Duration.ofMillis(1000)), sleeper.sleeps);
    }

    @Test
    void honoursRetryAfterOn429() throws Exception {
        assertArrayEquals(BODY, get("a", Fault.RATE_LIMITED_ONCE).body());
        assertEquals(List.of(Duration.ofSeconds(7)), sleeper.sleeps);
    }

    @Test
    void retriesTimeoutsAndTruncatedBodies() throws Exception {
        assertArrayEquals(BODY, get("slow", Fault.TIMEOUT_ONCE).body());
        assertEquals(2, server.requests("/img/slow"));
        assertArrayEquals(BODY, get("cut", Fault.TRUNCATED_ONCE).body());
        assertEquals(2, server.requests("/img/cut"));
    }

    @Test
    void givesUpAfterTheRetryBudget() {
        HttpStatusException e =
                assertThrows(HttpStatusException.class, () -> get("a", Fault.ERROR_500_ALWAYS));
        assertEquals(500, e.status());
        assertEquals(4, server.requests("/img/a"));
        assertEquals(3, sleeper.sleeps.size());
    }

    @Test
    void doesNotRetryClientErrors() {
        HttpStatusException e =
                assertThrows(HttpStatusException.class, () -> get("a", Fault.NOT_FOUND));
        assertEquals(404, e.status());
        assertTrue(e.getMessage().contains("/img/a"), e.getMessage());
        assertEquals(1, server.requests("/img/a"));
    }

    @Test
    void refusesBodiesOverTheLimitWithoutRetrying() {
        server.image("big", BODY, "image/png", Fault.NONE);
        assertThrows(
                BodyTooLargeException.class,
                () -> fetcher.get(URI.create(server.imageUrl("big")), 100));
        assertEquals(1, server.requests("/img/big"));
    }

    @Test
    void interruptStopsAWaitingRequest() throws Exception {
        server.image("g", BODY, "image/png", Fault.NONE);
        server.gate("g");
        Thread t =
                new Thread(
                        () -> {
                            try {
                                fetcher.get(URI.create(server.imageUrl("g")), 1 << 20);
                            } catch (InterruptedException expected) {
                                Thread.currentThread().interrupt();
                            } catch (IOException e) {
                                throw new AssertionError(e);
                            }
                        });
        t.start();
        assertTrue(server.awaitGate(10));
        t.interrupt();
        t.join(5000);
        assertTrue(!t.isAlive(), "fetch did not stop on interrupt");
    }
}
