package image2music.data.scrape;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings of an audio collection run.
 *
 * @param labels the labels, in order
 * @param perLabel files each label should hold in the end (search mode)
 * @param querySuffix appended to the label to make the search query ({@code " music"})
 * @param searchSize how many search results yt-dlp may look through per label
 * @param minSeconds shortest accepted duration
 * @param maxSeconds longest accepted duration
 * @param dedupeAcrossLabels drop files equal to one of another label (else keep, report)
 * @param urls explicit video URLs per label; when non-empty, used instead of searching
 */
public record AudioScrapeParams(
        List<String> labels,
        int perLabel,
        String querySuffix,
        int searchSize,
        double minSeconds,
        double maxSeconds,
        boolean dedupeAcrossLabels,
        Map<String, List<String>> urls) {

    public AudioScrapeParams {
        labels = List.copyOf(labels);
        urls = new LinkedHashMap<>(urls);
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("at least one label is required");
        }
        if (perLabel < 1) {
            throw new IllegalArgumentException("files per label must be >= 1, got " + perLabel);
        }
        if (searchSize < 1) {
            throw new IllegalArgumentException("search size must be >= 1, got " + searchSize);
        }
    }

    /** Whether explicit URLs replace searching. */
    public boolean explicitUrls() {
        return !urls.isEmpty();
    }

    /** The search query of {@code label}. */
    public String query(String label) {
        return label + querySuffix;
    }
}
