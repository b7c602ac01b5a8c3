package image2music.data.scrape;

import java.nio.file.Path;
import java.util.List;

/**
 * One yt-dlp run: audio-only downloads of search results or URLs into a folder.
 *
 * @param targets {@code ytsearchN:<query>} strings or video URLs
 * @param outputDir where files land, named {@code <video id>.<ext>}
 * @param archive yt-dlp's download archive (ids already downloaded are skipped)
 * @param minSeconds shortest accepted duration
 * @param maxSeconds longest accepted duration
 * @param maxDownloads stop after this many downloads
 */
public record YtDlpRequest(
        List<String> targets,
        Path outputDir,
        Path archive,
        double minSeconds,
        double maxSeconds,
        int maxDownloads) {

    public YtDlpRequest {
        targets = List.copyOf(targets);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("yt-dlp needs at least one search or URL");
        }
        if (!(minSeconds >= 0 && maxSeconds > minSeconds)) {
            throw new IllegalArgumentException(
                    "duration bounds must satisfy 0 <= min < max, got "
                            + minSeconds
                            + ".."
                            + maxSeconds);
        }
        if (maxDownloads < 1) {
            throw new IllegalArgumentException("max downloads must be >= 1, got " + maxDownloads);
        }
    }

    /** The search target yt-dlp understands: the first {@code count} results for {@code query}. */
    public static String search(String query, int count) {
        return "ytsearch" + count + ":" + query;
    }
}
