package image2music.data.scrape;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GETs with a whole-request deadline, a body size limit and retries: timeouts, I/O errors (reset
 * connections, truncated bodies), 408, 429 and 5xx are retried with {@link RetryPolicy}'s backoff
 * and {@code Retry-After}; other statuses and over-long bodies fail at once. Thread-safe.
 */
public final class HttpFetcher {

    private static final Logger LOG = LoggerFactory.getLogger(HttpFetcher.class);

    private final HttpParams params;
    private final RetryPolicy policy;
    private final Sleeper sleeper;
    private final HttpClient client;
    private final AtomicLong attempts = new AtomicLong();

    public HttpFetcher(HttpParams params, RetryPolicy policy, Sleeper sleeper) {
        this.params = params;
        this.policy = policy;
        this.sleeper = sleeper;
        this.client =
                HttpClient.newBuilder()
                        .connectTimeout(params.connectTimeout())
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .version(HttpClient.Version.HTTP_1_1)
                        .build();
    }

    /** A fetcher on the system clock that really sleeps. */
    public static HttpFetcher create(HttpParams params) {
        return new HttpFetcher(
                params,
                new RetryPolicy(params, Clock.systemUTC(), new SplittableRandom()),
                Sleeper.SYSTEM);
    }

    /** Requests sent so far, retries included. */
    public long attempts() {
        return attempts.get();
    }

    /**
     * Fetches {@code uri}, retrying transient failures.
     *
     * @throws HttpStatusException on a non-retryable status, or a retryable one after the last try
     * @throws BodyTooLargeException when the body exceeds {@code maxBytes}
     * @throws IOException on I/O failures and timeouts after the last try
     */
    public FetchResponse get(URI uri, long maxBytes) throws IOException, InterruptedException {
        for (int attempt = 0; ; attempt++) {
            Optional<String> retryAfter = Optional.empty();
            IOException failure = null;
            HttpResponse<byte[]> r;
            try {
                r = send(uri, maxBytes);
            } catch (BodyTooLargeException e) {
                throw e;
            } catch (IOException e) {
                r = null;
                failure = e;
            }
            if (r != null) {
                int status = r.statusCode();
                if (status >= 200 && status < 300) {
                    return new FetchResponse(
                            r.uri(), r.headers().firstValue("Content-Type").orElse(null), r.body());
                }
                failure = new HttpStatusException(uri, status, "");
                if (!(status == 408 || status == 429 || status >= 500)) {
                    throw failure;
                }
                retryAfter = r.headers().firstValue("Retry-After");
            }
            if (!policy.mayRetry(attempt)) {
                throw failure instanceof HttpStatusException
                        ? failure
                        : new IOException(
                                uri + ": failed after " + (attempt + 1) + " attempts: " + failure,
                                failure);
            }
            Duration wait = policy.delay(attempt, retryAfter);
            LOG.info("{}; retrying in {} ms", failure.getMessage(), wait.toMillis());
            sleeper.sleep(wait);
        }
    }

    private HttpResponse<byte[]> send(URI uri, long maxBytes)
            throws IOException, InterruptedException {
        attempts.incrementAndGet();
        HttpRequest request =
                HttpRequest.newBuilder(uri)
                        .timeout(params.requestTimeout())
                        .header("User-Agent", params.userAgent())
                        .GET()
                        .build();
        CompletableFuture<HttpResponse<byte[]>> future =
                client.sendAsync(request, info -> subscriber(uri, info, maxBytes));
        try {
            // The client's own timeout covers only the headers; this deadline also covers a body
            // that stalls half-way.
            return future.get(params.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new HttpTimeoutException(
                    uri
                            + ": no complete response within "
                            + params.requestTimeout().toMillis()
                            + " ms");
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(uri + ": " + cause, cause);
        }
    }

    private static BodySubscriber<byte[]> subscriber(
            URI uri, HttpResponse.ResponseInfo info, long maxBytes) {
        if (info.statusCode() < 200 || info.statusCode() >= 300) {
            return HttpResponse.BodySubscribers.replacing(new byte[0]);
        }
        long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
        LimitedBodySubscriber s = new LimitedBodySubscriber(uri, maxBytes);
        if (declared > maxBytes) {
            // Refuse at once rather than download what will be thrown away.
            s.onError(new BodyTooLargeException(uri, maxBytes));
        }
        return s;
    }
}
