package image2music.data.media;

import image2music.core.manifest.MediaLayout;
import image2music.core.manifest.MediaRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The images of a media root, with duplicate detection: an image is dropped when its stored bytes
 * equal (SHA-256) or its perceptual hash is near ({@link NearDuplicateIndex}) an image of the same
 * label. A match in another label is kept and reported, or dropped with {@code dedupeAcrossLabels}.
 */
public final class ImageCollection extends MediaCollection {

    /** What {@link #add} did. */
    public enum Outcome {
        KEPT,
        DUPLICATE,
        NEAR_DUPLICATE
    }

    /**
     * The result of an add.
     *
     * @param outcome kept or dropped
     * @param path the stored path when kept, else null
     * @param match the image it duplicates (when dropped) or resembles in another label (when
     *     kept), else null
     */
    public record Added(Outcome outcome, String path, NearDuplicateIndex.Entry match) {

        /** "same as <path> in '<label>'" and the like, for journals and notes. */
        public String describe() {
            if (match == null) {
                return outcome.name().toLowerCase();
            }
            String kind = outcome == Outcome.NEAR_DUPLICATE ? "looks like " : "same as ";
            return kind + match.path() + " in '" + match.label() + "'";
        }
    }

    private final NearDuplicateIndex near;

    private ImageCollection(MediaLibrary library, int nearDistance, boolean dedupeAcrossLabels) {
        super(library, dedupeAcrossLabels);
        this.near = new NearDuplicateIndex(nearDistance);
        for (MediaRecord r : library.records()) {
            if (r.phash() != null) {
                near.add(
                        new NearDuplicateIndex.Entry(
                                r.labels().get(0), r.path(), PerceptualHash.parseHex(r.phash())));
            }
        }
    }

    /** Opens the media root {@code root} (see {@link MediaLibrary#open}). */
    public static ImageCollection open(Path root, int nearDistance, boolean dedupeAcrossLabels)
            throws IOException {
        return new ImageCollection(MediaLibrary.open(root), nearDistance, dedupeAcrossLabels);
    }

    /** Throws IllegalArgumentException when {@code label} cannot be a folder name. */
    public void checkLabel(String label) {
        MediaLayout.checkLabel(label);
    }

    /** Keeps {@code image} under {@code label} unless it duplicates one already kept. */
    public synchronized Added add(String label, NormalizedImage image, Provenance from)
            throws IOException {
        String sha = MediaLayout.sha256Hex(image.bytes());
        NearDuplicateIndex.Entry elsewhere = null;
        for (MediaRecord r : library.withSha(sha)) {
            NearDuplicateIndex.Entry e =
                    new NearDuplicateIndex.Entry(r.labels().get(0), r.path(), image.phash());
            if (e.label().equals(label) || dedupeAcrossLabels) {
                return new Added(Outcome.DUPLICATE, null, e);
            }
            elsewhere = e;
        }
        Optional<NearDuplicateIndex.Entry> same = near.nearestIn(label, image.phash());
        if (same.isPresent()) {
            return new Added(Outcome.NEAR_DUPLICATE, null, same.get());
        }
        Optional<NearDuplicateIndex.Entry> other = near.nearestOutside(label, image.phash());
        if (other.isPresent() && dedupeAcrossLabels) {
            return new Added(Outcome.NEAR_DUPLICATE, null, other.get());
        }
        if (elsewhere == null) {
            elsewhere = other.orElse(null);
        }
        MediaRecord r =
                library.add(
                        label,
                        image.bytes(),
                        sha,
                        image.format().extension(),
                        from.source(),
                        b ->
                                b.sourceUrl(from.sourceUrl())
                                        .pageUrl(from.pageUrl())
                                        .query(from.query())
                                        .title(from.title())
                                        .width(image.width())
                                        .height(image.height())
                                        .phash(image.phashHex())
                                        .fetchedAt(from.fetchedAt()));
        near.add(new NearDuplicateIndex.Entry(label, r.path(), image.phash()));
        return new Added(Outcome.KEPT, r.path(), elsewhere);
    }
}
