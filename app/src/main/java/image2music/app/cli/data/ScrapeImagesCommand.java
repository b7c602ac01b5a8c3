package image2music.app.cli.data;

import image2music.data.media.CollectSummary;
import image2music.data.scrape.BingSearch;
import image2music.data.scrape.HttpFetcher;
import image2music.data.scrape.HttpParams;
import image2music.data.scrape.ImageScrapeParams;
import image2music.data.scrape.ImageScraper;
import image2music.data.scrape.SafeSearch;
import image2music.data.scrape.Sleeper;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code scrape-images}: fills a labelled image folder from Bing image search. */
@Command(
        name = "scrape-images",
        header = "Download images per mood label from Bing image search.",
        description = {
            "Downloads images per label from Bing image search into DIR/<label>/ with"
                    + " DIR/manifest.jsonl. Validates, converts to RGB, drops duplicates;"
                    + " re-running resumes and never downloads a kept URL again."
        },
        mixinStandardHelpOptions = true)
public final class ScrapeImagesCommand implements Callable<Integer> {

    @Option(
            names = "--labels",
            split = ",",
            required = true,
            paramLabel = "LABEL",
            description = "Comma-separated labels; each is also the search query.")
    List<String> labels;

    @Option(
            names = "--per-label",
            required = true,
            paramLabel = "N",
            description = "Images each label should hold.")
    int perLabel;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Media root.")
    Path out;

    @Option(
            names = "--endpoint",
            paramLabel = "URL",
            description = "Search results page URL (default: ${DEFAULT-VALUE}).")
    URI endpoint = BingSearch.DEFAULT_ENDPOINT;

    @Option(
            names = "--safe-search",
            paramLabel = "LEVEL",
            description = "strict, moderate or off (default: ${DEFAULT-VALUE}).")
    String safeSearch = "strict";

    @Option(
            names = "--page-size",
            paramLabel = "N",
            description = "Results per page (default: ${DEFAULT-VALUE}).")
    int pageSize = 35;

    @Option(
            names = "--max-pages",
            paramLabel = "N",
            description = "Result pages read per label at most (default: ${DEFAULT-VALUE}).")
    int maxPages = 30;

    @Option(
            names = "--delay",
            paramLabel = "SECONDS",
            description = "Pause before each result page request (default: ${DEFAULT-VALUE}).")
    double delay = 1.0;

    @Option(
            names = "--concurrency",
            paramLabel = "N",
            description = "Parallel image downloads (default: ${DEFAULT-VALUE}).")
    int concurrency = 4;

    @Option(
            names = "--user-agent",
            paramLabel = "TEXT",
            description = "User-Agent header (default: a desktop browser's).")
    String userAgent = HttpParams.BROWSER_USER_AGENT;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            description = "Limit for one request, body included (default: ${DEFAULT-VALUE}).")
    double timeout = 30;

    @Option(
            names = "--connect-timeout",
            paramLabel = "SECONDS",
            description = "Limit for opening a connection (default: ${DEFAULT-VALUE}).")
    double connectTimeout = 10;

    @Option(
            names = "--retries",
            paramLabel = "N",
            description =
                    "Retries on timeouts, 429 and 5xx, with exponential backoff and jitter"
                            + " (default: ${DEFAULT-VALUE}).")
    int retries = 4;

    @Mixin ImageOptions imageOptions;

    @Option(
            names = "--retry-failed",
            description = "Download again URLs that failed in an earlier run.")
    boolean retryFailed;

    @Mixin CollectOutputOptions output;

    @Override
    public Integer call() throws Exception {
        HttpParams http =
                HttpParams.DEFAULTS
                        .withUserAgent(userAgent)
                        .withRequestTimeout(seconds(timeout, "--timeout"))
                        .withConnectTimeout(seconds(connectTimeout, "--connect-timeout"))
                        .withMaxRetries(retries);
        ImageScrapeParams params =
                new ImageScrapeParams(
                        labels.stream().map(String::trim).toList(),
                        perLabel,
                        new BingSearch(endpoint, parseSafeSearch(safeSearch), pageSize),
                        maxPages,
                        delay == 0 ? Duration.ZERO : seconds(delay, "--delay"),
                        concurrency,
                        imageOptions.params(),
                        imageOptions.phashDistance,
                        imageOptions.dedupeAcrossLabels,
                        retryFailed);
        ImageScraper scraper =
                new ImageScraper(
                        params, HttpFetcher.create(http), Sleeper.SYSTEM, Clock.systemUTC());
        LabelProgress progress = output.progress();
        CollectSummary summary = Interruptible.run(() -> scraper.run(out, progress));
        output.print(summary);
        return 0;
    }

    static Duration seconds(double s, String option) {
        if (!(s > 0) || Double.isInfinite(s)) {
            throw new IllegalArgumentException(
                    option + " must be a positive number of seconds, got " + s);
        }
        return Duration.ofNanos((long) (s * 1e9));
    }

    private static SafeSearch parseSafeSearch(String s) {
        for (SafeSearch v : SafeSearch.values()) {
            if (v.parameter().equalsIgnoreCase(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException(
                "--safe-search '" + s + "' is not one of strict, moderate, off");
    }
}
