package image2music.data.media;

import image2music.audio.io.AudioInfo;
import image2music.core.manifest.MediaLayout;
import image2music.core.manifest.MediaRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The audio files of a media root, stored as they came (no re-encoding), with exact-duplicate
 * detection by SHA-256: a file equal to one of the same label is dropped; equal to one of another
 * label it is kept and reported, or dropped with {@code dedupeAcrossLabels}.
 */
public final class AudioCollection extends MediaCollection {

    /**
     * The result of an add.
     *
     * @param kept whether the file was stored
     * @param path the stored path when kept
     * @param match the equal file already kept (same label when dropped, another label when kept),
     *     or null
     */
    public record Added(boolean kept, String path, MediaRecord match) {}

    private AudioCollection(MediaLibrary library, boolean dedupeAcrossLabels) {
        super(library, dedupeAcrossLabels);
    }

    public static AudioCollection open(Path root, boolean dedupeAcrossLabels) throws IOException {
        return new AudioCollection(MediaLibrary.open(root), dedupeAcrossLabels);
    }

    /**
     * Adds {@code file} under {@code label}: moved into the root (or copied, when {@code copy}),
     * or, when it is a duplicate, deleted (when moved) or left alone (when copied).
     *
     * @param videoId the source's video id, or null
     */
    public synchronized Added add(
            String label, Path file, boolean copy, AudioInfo info, Provenance from, String videoId)
            throws IOException {
        String sha = MediaLayout.sha256Hex(file);
        MediaRecord elsewhere = null;
        for (MediaRecord r : library.withSha(sha)) {
            if (r.labels().contains(label) || dedupeAcrossLabels) {
                if (!copy) {
                    Files.deleteIfExists(file);
                }
                return new Added(false, null, r);
            }
            elsewhere = r;
        }
        Double duration = Double.isNaN(info.durationSeconds()) ? null : info.durationSeconds();
        MediaRecord r =
                library.addFile(
                        label,
                        file,
                        copy,
                        sha,
                        extension(file),
                        from.source(),
                        b ->
                                b.sourceUrl(from.sourceUrl())
                                        .pageUrl(from.pageUrl())
                                        .query(from.query())
                                        .title(from.title())
                                        .durationS(duration)
                                        .videoId(videoId)
                                        .fetchedAt(from.fetchedAt()));
        return new Added(true, r.path(), elsewhere);
    }

    /** The file's extension, lower case, or {@code bin} when it has no usable one. */
    static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return ext.matches("[a-z0-9]{1,10}") ? ext : "bin";
    }
}
