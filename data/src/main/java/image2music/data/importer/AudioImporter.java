package image2music.data.importer;

import image2music.audio.io.AudioInfo;
import image2music.core.manifest.LabelFolders;
import image2music.data.media.AudioCheck;
import image2music.data.media.AudioCollection;
import image2music.data.media.CollectListener;
import image2music.data.media.CollectSummary;
import image2music.data.media.Provenance;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Brings a user's labelled audio folders ({@code <from>/<label>/*}) into a media root: each file is
 * probed with our decoder (unreadable or out-of-bounds files are skipped and reported), copied
 * unchanged as {@code <label>/<sha16>.<ext>} unless it duplicates one already kept, and recorded
 * with source {@code local}. Files already imported (same {@code file:} URI) are skipped.
 */
public final class AudioImporter {

    private final AudioCheck check;
    private final boolean dedupeAcrossLabels;
    private final Clock clock;

    public AudioImporter(AudioCheck check, boolean dedupeAcrossLabels, Clock clock) {
        this.check = check;
        this.dedupeAcrossLabels = dedupeAcrossLabels;
        this.clock = clock;
    }

    /** Imports {@code from}'s label folders (all, or {@code only}) into {@code root}. */
    public CollectSummary run(Path from, Path root, Set<String> only, CollectListener listener)
            throws IOException, InterruptedException {
        AudioCollection collection = AudioCollection.open(root, dedupeAcrossLabels);
        collection.repairs().forEach(listener::note);
        Map<String, List<Path>> folders = LabelFolders.read(from, only, listener::note);
        return LabelledFolders.importAll(
                folders,
                collection::count,
                listener,
                (label, file, summary) -> importOne(label, file, collection, summary, listener));
    }

    private void importOne(
            String label,
            Path file,
            AudioCollection collection,
            CollectSummary summary,
            CollectListener listener)
            throws IOException {
        String uri = file.toAbsolutePath().normalize().toUri().toString();
        if (collection.hasSource(uri)) {
            summary.skipped(label);
            return;
        }
        AudioInfo info;
        try {
            info = check.check(file, null);
        } catch (AudioCheck.Rejected e) {
            summary.rejected(label, e.reason());
            listener.note(e.getMessage() + "; skipped");
            return;
        }
        Provenance from =
                new Provenance(
                        "local", uri, null, null, file.getFileName().toString(), clock.instant());
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
