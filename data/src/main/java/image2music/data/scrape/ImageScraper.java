package image2music.data.scrape;

import image2music.data.media.CollectListener;
import image2music.data.media.CollectSummary;
import image2music.data.media.ImageCollection;
import image2music.data.media.ImageNormalizer;
import image2music.data.media.ImageRejectedException;
import image2music.data.media.NormalizedImage;
import image2music.data.media.Provenance;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fills {@code <root>/<label>/} with images from Bing image search until each label holds the
 * wanted number: reads result pages, downloads new results in parallel, validates and converts each
 * ({@link ImageNormalizer}), drops duplicates and keeps the rest in the collection and its manifest
 * ({@link ImageCollection}).
 *
 * <p>Resumable: URLs already kept (manifest) or already refused ({@link UrlJournal}) are never
 * downloaded again. Interruptible: an interrupt stops downloads at once; a file being committed is
 * finished first, so the folder and manifest always agree.
 */
public final class ImageScraper {

    private static final long MAX_PAGE_BYTES = 8L << 20;

    private final ImageScrapeParams params;
    private final HttpFetcher fetcher;
    private final Sleeper sleeper;
    private final Clock clock;
    private final ImageNormalizer normalizer;

    public ImageScraper(
            ImageScrapeParams params, HttpFetcher fetcher, Sleeper sleeper, Clock clock) {
        this.params = params;
        this.fetcher = fetcher;
        this.sleeper = sleeper;
        this.clock = clock;
        this.normalizer = new ImageNormalizer(params.image());
    }

    /** The result of downloading and validating one hit (computed off the committing thread). */
    private sealed interface Download {
        record Ok(NormalizedImage image) implements Download {}

        record Rejected(String reason, String message) implements Download {}

        record Failed(String message) implements Download {}
    }

    private record Pending(ImageHit hit, Future<Download> future) {}

    /** Runs the scrape into {@code root}; returns what it did. */
    public CollectSummary run(Path root, CollectListener listener)
            throws IOException, InterruptedException {
        try (ImageCollection collection =
                ImageCollection.open(root, params.nearDistance(), params.dedupeAcrossLabels())) {
            return run(root, collection, listener);
        }
    }

    private CollectSummary run(Path root, ImageCollection collection, CollectListener listener)
            throws IOException, InterruptedException {
        for (String label : params.labels()) {
            collection.checkLabel(label);
        }
        collection.repairs().forEach(listener::note);
        UrlJournal journal = UrlJournal.open(root);
        CollectSummary summary = new CollectSummary();
        AtomicInteger threadId = new AtomicInteger();
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        params.concurrency(),
                        r -> {
                            Thread t =
                                    new Thread(r, "image-download-" + threadId.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        Committer committer = new Committer();
        PageReader pages = new PageReader();
        try {
            for (String label : params.labels()) {
                scrapeLabel(label, collection, journal, summary, listener, pool, committer, pages);
            }
        } finally {
            pool.shutdownNow();
            committer.close();
        }
        failIfNothingWasFetched(pages, summary);
        return summary;
    }

    /**
     * A run in which every request failed (no network, a wrong endpoint) fetched nothing: that is a
     * failure, not an empty success.
     */
    private static void failIfNothingWasFetched(PageReader pages, CollectSummary summary)
            throws IOException {
        if (pages.ok == 0 && pages.failed > 0) {
            throw new IOException(
                    "every search request failed ("
                            + pages.failed
                            + " result page"
                            + (pages.failed == 1 ? "" : "s")
                            + "); last: "
                            + pages.lastError);
        }
        int failed = summary.total(CollectSummary.Counts::failed);
        int answered =
                summary.total(CollectSummary.Counts::kept)
                        + summary.total(CollectSummary.Counts::duplicates)
                        + summary.total(CollectSummary.Counts::nearDuplicates)
                        + summary.total(CollectSummary.Counts::rejectedTotal);
        if (failed > 0 && answered == 0) {
            throw new IOException(
                    "every image download failed ("
                            + failed
                            + "); nothing was kept: check the network");
        }
    }

    private void scrapeLabel(
            String label,
            ImageCollection collection,
            UrlJournal journal,
            CollectSummary summary,
            CollectListener listener,
            ExecutorService pool,
            Committer committer,
            PageReader pages)
            throws IOException, InterruptedException {
        int had = collection.count(label);
        summary.alreadyHad(label, had);
        listener.labelStarted(label, params.perLabel(), had);
        Set<String> seen = new HashSet<>();
        Deque<ImageHit> candidates = new ArrayDeque<>();
        Deque<Pending> inflight = new ArrayDeque<>();
        int page = 0;
        boolean exhausted = false;
        try {
            while (true) {
                int need = params.perLabel() - collection.count(label);
                if (need <= 0) {
                    break;
                }
                // Never more downloads in flight than could still be kept.
                while (inflight.size() < Math.min(params.concurrency(), need)) {
                    if (!candidates.isEmpty()) {
                        ImageHit hit = candidates.poll();
                        inflight.add(new Pending(hit, pool.submit(() -> download(hit))));
                        continue;
                    }
                    if (exhausted || page >= params.maxPages()) {
                        exhausted = true;
                        break;
                    }
                    List<ImageHit> hits = pages.read(label, page++, listener);
                    if (hits == null) {
                        exhausted = true; // the page failed after its retries; noted
                        break;
                    }
                    if (hits.isEmpty() && page == 1) {
                        listener.note(
                                "no results for '"
                                        + label
                                        + "' (an empty search, or a page that is not Bing's"
                                        + " result list: check --endpoint)");
                    }
                    int fresh = 0;
                    for (ImageHit hit : hits) {
                        if (!seen.add(hit.imageUrl())) {
                            continue;
                        }
                        fresh++;
                        if (collection.hasSource(hit.imageUrl())) {
                            continue;
                        }
                        UrlJournal.Outcome before = journal.outcome(hit.imageUrl());
                        if (before != null
                                && !(before == UrlJournal.Outcome.FAILED && params.retryFailed())) {
                            summary.skipped(label);
                            continue;
                        }
                        candidates.add(hit);
                    }
                    // Bing repeats its last page past the end of the results.
                    exhausted = fresh == 0;
                }
                if (inflight.isEmpty()) {
                    break;
                }
                Pending p = inflight.poll();
                Download d = await(p.future());
                committer.run(
                        () -> commit(label, p.hit(), d, collection, journal, summary, listener));
                listener.progress(label, collection.count(label));
            }
        } finally {
            for (Pending p : inflight) {
                p.future().cancel(true);
            }
            listener.labelFinished(label);
        }
    }

    private static Download await(Future<Download> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            return new Download.Failed(String.valueOf(e.getCause()));
        }
    }

    private Download download(ImageHit hit) throws InterruptedException {
        URI uri;
        try {
            uri = URI.create(hit.imageUrl());
        } catch (IllegalArgumentException e) {
            return new Download.Rejected("bad-url", hit.imageUrl() + ": not a valid URL");
        }
        try {
            FetchResponse r = fetcher.get(uri, params.image().maxBytes());
            return new Download.Ok(normalizer.normalize(r.body(), r.contentType(), hit.imageUrl()));
        } catch (ImageRejectedException e) {
            return new Download.Rejected(e.reason().label(), e.getMessage());
        } catch (BodyTooLargeException e) {
            return new Download.Rejected(
                    ImageRejectedException.Reason.TOO_LARGE.label(), e.getMessage());
        } catch (IOException e) {
            return new Download.Failed(e.getMessage());
        }
    }

    private void commit(
            String label,
            ImageHit hit,
            Download d,
            ImageCollection collection,
            UrlJournal journal,
            CollectSummary summary,
            CollectListener listener)
            throws IOException {
        String url = hit.imageUrl();
        if (d instanceof Download.Rejected r) {
            summary.rejected(label, r.reason());
            journal.record(url, label, UrlJournal.Outcome.REJECTED, r.message(), clock.instant());
            return;
        }
        if (d instanceof Download.Failed f) {
            summary.failed(label);
            journal.record(url, label, UrlJournal.Outcome.FAILED, f.message(), clock.instant());
            return;
        }
        NormalizedImage image = ((Download.Ok) d).image();
        Provenance from =
                new Provenance("bing", url, hit.pageUrl(), label, hit.title(), clock.instant());
        ImageCollection.Added added = collection.add(label, image, from);
        switch (added.outcome()) {
            case KEPT -> {
                summary.kept(label);
                if (added.match() != null) {
                    summary.crossLabel(label);
                    listener.note(
                            url
                                    + " ('"
                                    + label
                                    + "') looks like "
                                    + added.match().path()
                                    + " in '"
                                    + added.match().label()
                                    + "'");
                }
            }
            case DUPLICATE -> {
                summary.duplicate(label);
                journal.record(
                        url,
                        label,
                        UrlJournal.Outcome.DUPLICATE,
                        added.describe(),
                        clock.instant());
            }
            case NEAR_DUPLICATE -> {
                summary.nearDuplicate(label);
                journal.record(
                        url,
                        label,
                        UrlJournal.Outcome.NEAR_DUPLICATE,
                        added.describe(),
                        clock.instant());
            }
        }
    }

    /** Reads result pages, pausing politely between requests; null when a page fails. */
    private final class PageReader {
        private boolean any;
        private int ok;
        private int failed;
        private String lastError;

        List<ImageHit> read(String query, int page, CollectListener listener)
                throws InterruptedException {
            if (any) {
                sleeper.sleep(params.politeness());
            }
            any = true;
            URI uri = params.search().pageUri(query, page);
            try {
                FetchResponse r = fetcher.get(uri, MAX_PAGE_BYTES);
                ok++;
                return BingResultParser.parse(new String(r.body(), StandardCharsets.UTF_8), uri);
            } catch (IOException e) {
                failed++;
                lastError = e.getMessage();
                listener.note("search page failed, moving on: " + e.getMessage());
                return null;
            }
        }
    }
}
