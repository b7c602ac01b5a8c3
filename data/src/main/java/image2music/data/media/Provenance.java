package image2music.data.media;

import java.time.Instant;

/**
 * Where a collected file came from, as recorded in the manifest.
 *
 * @param source {@code bing}, {@code youtube}, {@code local} or {@code synth}
 * @param sourceUrl the file's URL, or null
 * @param pageUrl the page showing it, or null
 * @param query the search query that found it, or null
 * @param title the source's title, or null
 * @param fetchedAt when it was fetched or imported
 */
public record Provenance(
        String source,
        String sourceUrl,
        String pageUrl,
        String query,
        String title,
        Instant fetchedAt) {}
