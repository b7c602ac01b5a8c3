package image2music.data.importer;

import image2music.audio.io.AudioInfo;
import image2music.data.media.AudioCheck;
import image2music.data.media.AudioCollection;
import image2music.data.media.CollectListener;
import image2music.data.media.CollectSummary;
import image2music.data.media.Provenance;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Brings a user's labelled audio folders ({@code <from>/<label>/*}) into a media root: each file is
 * probed with our decoder (unreadable or out-of-bounds files are skipped and reported), copied
 * unchanged as {@code <label>/<sha16>.<ext>} unless it duplicates one already kept, and recorded
 * with source {@code local}. Files already imported (same {@code file:} URI) are skipped.
 */
public final class AudioImporter extends FolderImporter<AudioCollection> {

    private final AudioCheck check;
    private final boolean dedupeAcrossLabels;

    public AudioImporter(AudioCheck check, boolean dedupeAcrossLabels, Clock clock) {
        super(clock);
        this.check = check;
        this.dedupeAcrossLabels = dedupeAcrossLabels;
    }

    @Override
    protected AudioCollection open(Path root) throws IOException {
        return AudioCollection.open(root, dedupeAcrossLabels);
    }

    @Override
    protected void importNew(
            String label,
            Path file,
            Provenance from,
            AudioCollection collection,
            CollectSummary summary,
            CollectListener listener)
            throws IOException {
        AudioInfo info;
        try {
            info = check.check(file, null);
        } catch (AudioCheck.Rejected e) {
            summary.rejected(label, e.reason());
            listener.note(e.getMessage() + "; skipped");
            return;
        }
        AudioCollection.Added added = collection.add(label, file, true, info, from, null);
        if (!added.kept()) {
            summary.duplicate(label);
            return;
        }
        summary.kept(label);
        if (added.match() != null) {
            summary.crossLabel(label);
            listener.note(file + " ('" + label + "') is the same file as " + added.match().path());
        }
    }
}
