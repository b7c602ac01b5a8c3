package image2music.core.manifest;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One kept media file in a {@link Manifest}: where it is, what it is labelled, where it came from.
 * In JSON the fields are snake_case ({@code source_url}, {@code duration_s}, ...); a null field is
 * absent from the JSON and absent fields read as null.
 *
 * @param path the file relative to the manifest's root, with {@code /} separators
 * @param labels the file's labels; the first names its folder
 * @param sha256 lower-case hex SHA-256 of the stored bytes
 * @param bytes size of the stored file
 * @param source where it came from: {@value #BING}, {@value #YOUTUBE}, {@value #LOCAL} or {@value
 *     #SYNTH}
 * @param sourceUrl the media's own URL
 * @param pageUrl the page the media was found on
 * @param query the search query that found it
 * @param title the title given by the source
 * @param width image width in pixels
 * @param height image height in pixels
 * @param durationS audio duration in seconds
 * @param videoId the source's video id (audio from video sites)
 * @param phash 64-bit perceptual hash of an image, 16 hex digits
 * @param fetchedAt when the file was fetched (ISO-8601 UTC in JSON)
 */
public record MediaRecord(
        String path,
        List<String> labels,
        String sha256,
        long bytes,
        String source,
        String sourceUrl,
        String pageUrl,
        String query,
        String title,
        Integer width,
        Integer height,
        Double durationS,
        String videoId,
        String phash,
        Instant fetchedAt) {

    public static final String BING = "bing";
    public static final String YOUTUBE = "youtube";
    public static final String LOCAL = "local";
    public static final String SYNTH = "synth";

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern PHASH = Pattern.compile("[0-9a-f]{16}");

    public MediaRecord {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("media record without a path");
        }
        if (labels == null) {
            throw new IllegalArgumentException("media record '" + path + "' has no labels array");
        }
        labels = List.copyOf(labels);
        for (String label : labels) {
            MediaLayout.checkLabel(label);
        }
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException(
                    "media record '"
                            + path
                            + "': sha256 must be 64 lower-case hex digits, got '"
                            + sha256
                            + "'");
        }
        if (bytes < 0) {
            throw new IllegalArgumentException(
                    "media record '" + path + "': negative size " + bytes);
        }
        if (phash != null && !PHASH.matcher(phash).matches()) {
            throw new IllegalArgumentException(
                    "media record '"
                            + path
                            + "': phash must be 16 hex digits, got '"
                            + phash
                            + "'");
        }
    }

    /** Starts a record with the fields every record has; the rest default to absent. */
    public static Builder builder(
            String path, List<String> labels, String sha256, long bytes, String source) {
        return new Builder(path, labels, sha256, bytes, source);
    }

    /** A builder initialised from this record, to change a few fields. */
    public Builder toBuilder() {
        return new Builder(path, labels, sha256, bytes, source)
                .sourceUrl(sourceUrl)
                .pageUrl(pageUrl)
                .query(query)
                .title(title)
                .width(width)
                .height(height)
                .durationS(durationS)
                .videoId(videoId)
                .phash(phash)
                .fetchedAt(fetchedAt);
    }

    /** Sets the optional fields of a {@link MediaRecord} one by one. */
    public static final class Builder {
        private final String path;
        private final List<String> labels;
        private final String sha256;
        private final long bytes;
        private final String source;
        private String sourceUrl;
        private String pageUrl;
        private String query;
        private String title;
        private Integer width;
        private Integer height;
        private Double durationS;
        private String videoId;
        private String phash;
        private Instant fetchedAt;

        private Builder(
                String path, List<String> labels, String sha256, long bytes, String source) {
            this.path = path;
            this.labels = labels;
            this.sha256 = sha256;
            this.bytes = bytes;
            this.source = source;
        }

        public Builder sourceUrl(String v) {
            sourceUrl = v;
            return this;
        }

        public Builder pageUrl(String v) {
            pageUrl = v;
            return this;
        }

        public Builder query(String v) {
            query = v;
            return this;
        }

        public Builder title(String v) {
            title = v;
            return this;
        }

        public Builder width(Integer v) {
            width = v;
            return this;
        }

        public Builder height(Integer v) {
            height = v;
            return this;
        }

        public Builder durationS(Double v) {
            durationS = v;
            return this;
        }

        public Builder videoId(String v) {
            videoId = v;
            return this;
        }

        public Builder phash(String v) {
            phash = v;
            return this;
        }

        public Builder fetchedAt(Instant v) {
            fetchedAt = v;
            return this;
        }

        public MediaRecord build() {
            return new MediaRecord(
                    path, labels, sha256, bytes, source, sourceUrl, pageUrl, query, title, width,
                    height, durationS, videoId, phash, fetchedAt);
        }
    }
}
