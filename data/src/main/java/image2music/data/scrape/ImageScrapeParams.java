package image2music.data.scrape;

import image2music.data.media.ImageParams;
import java.time.Duration;
import java.util.List;

/**
 * Settings of an image scraping run.
 *
 * @param labels the labels; each is also its search query
 * @param perLabel how many images each label should hold in the end
 * @param search the search endpoint, safe-search level and page size
 * @param maxPages the most result pages read per label
 * @param politeness pause before each result-page request
 * @param concurrency parallel image downloads
 * @param image validation and conversion of downloads
 * @param nearDistance the largest pHash Hamming distance that counts as a near-duplicate
 * @param dedupeAcrossLabels drop images that duplicate one in another label (else keep, report)
 * @param retryFailed download again URLs that failed in an earlier run
 */
public record ImageScrapeParams(
        List<String> labels,
        int perLabel,
        BingSearch search,
        int maxPages,
        Duration politeness,
        int concurrency,
        ImageParams image,
        int nearDistance,
        boolean dedupeAcrossLabels,
        boolean retryFailed) {

    public ImageScrapeParams {
        labels = List.copyOf(labels);
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("at least one label is required");
        }
        if (perLabel < 1) {
            throw new IllegalArgumentException("images per label must be >= 1, got " + perLabel);
        }
        if (maxPages < 1) {
            throw new IllegalArgumentException("max pages must be >= 1, got " + maxPages);
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
        }
        if (politeness.isNegative()) {
            throw new IllegalArgumentException("politeness delay must be >= 0, got " + politeness);
        }
    }
}
