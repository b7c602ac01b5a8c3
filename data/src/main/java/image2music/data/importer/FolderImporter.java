package image2music.data.importer;

import image2music.core.manifest.LabelFolders;
import image2music.data.media.CollectListener;
import image2music.data.media.CollectSummary;
import image2music.data.media.MediaCollection;
import image2music.data.media.Provenance;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The import loop every media kind shares: open the collection, read the user's {@code <label>/*}
 * folders label by label (progress per label, interruptible between files), skip files already
 * imported (same {@code file:} URI, so an interrupted import resumes without reading them again)
 * and hand each new file, with its {@code local} provenance, to the subclass.
 */
public abstract class FolderImporter<C extends MediaCollection> {

    private final Clock clock;

    protected FolderImporter(Clock clock) {
        this.clock = clock;
    }

    /** Imports {@code from}'s label folders (all, or {@code only}) into {@code root}. */
    public final CollectSummary run(
            Path from, Path root, Set<String> only, CollectListener listener)
            throws IOException, InterruptedException {
        try (C collection = open(root)) {
            collection.repairs().forEach(listener::note);
            Map<String, List<Path>> folders = LabelFolders.read(from, only, listener::note);
            CollectSummary summary = new CollectSummary();
            for (Map.Entry<String, List<Path>> e : folders.entrySet()) {
                String label = e.getKey();
                summary.alreadyHad(label, collection.count(label));
                listener.labelStarted(label, e.getValue().size(), 0);
                int done = 0;
                for (Path file : e.getValue()) {
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    String uri = file.toAbsolutePath().normalize().toUri().toString();
                    if (collection.hasSource(uri)) {
                        summary.skipped(label);
                    } else {
                        Provenance local =
                                new Provenance(
                                        "local",
                                        uri,
                                        null,
                                        null,
                                        file.getFileName().toString(),
                                        clock.instant());
                        importNew(label, file, local, collection, summary, listener);
                    }
                    listener.progress(label, ++done);
                }
                listener.labelFinished(label);
            }
            return summary;
        }
    }

    /** Opens (or creates) the media root. */
    protected abstract C open(Path root) throws IOException;

    /** Checks, converts and adds one file not imported before, counting it in {@code summary}. */
    protected abstract void importNew(
            String label,
            Path file,
            Provenance from,
            C collection,
            CollectSummary summary,
            CollectListener listener)
            throws IOException;
}
