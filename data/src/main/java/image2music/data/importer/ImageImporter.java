package image2music.data.importer;

import image2music.core.manifest.LabelFolders;
import image2music.data.media.CollectListener;
import image2music.data.media.CollectSummary;
import image2music.data.media.ImageCollection;
import image2music.data.media.ImageNormalizer;
import image2music.data.media.ImageParams;
import image2music.data.media.ImageRejectedException;
import image2music.data.media.NormalizedImage;
import image2music.data.media.Provenance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Brings a user's labelled image folders ({@code <from>/<label>/*}) into a media root with the
 * scraper's validation, conversion and duplicate detection, recorded with source {@code local} and
 * the original file as {@code source_url} ({@code file:} URI). Files already imported are skipped
 * without being read, so an interrupted import resumes.
 */
public final class ImageImporter {

    private final ImageNormalizer normalizer;
    private final int nearDistance;
    private final boolean dedupeAcrossLabels;
    private final Clock clock;

    public ImageImporter(
            ImageParams image, int nearDistance, boolean dedupeAcrossLabels, Clock clock) {
        this.normalizer = new ImageNormalizer(image);
        this.nearDistance = nearDistance;
        this.dedupeAcrossLabels = dedupeAcrossLabels;
        this.clock = clock;
    }

    /** Imports {@code from}'s label folders (all, or {@code only}) into {@code root}. */
    public CollectSummary run(Path from, Path root, Set<String> only, CollectListener listener)
            throws IOException, InterruptedException {
        ImageCollection collection = ImageCollection.open(root, nearDistance, dedupeAcrossLabels);
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
            ImageCollection collection,
            CollectSummary summary,
            CollectListener listener)
            throws IOException {
        String uri = file.toAbsolutePath().normalize().toUri().toString();
        if (collection.hasSource(uri)) {
            summary.skipped(label);
            return;
        }
        long size = Files.size(file);
        if (size > normalizer.params().maxBytes()) {
            summary.rejected(label, ImageRejectedException.Reason.TOO_LARGE.label());
            listener.note(file + ": " + size + " bytes exceeds the limit; skipped");
            return;
        }
        NormalizedImage image;
        try {
            image = normalizer.normalize(Files.readAllBytes(file), null, file.toString());
        } catch (ImageRejectedException ex) {
            summary.rejected(label, ex.reason().label());
            listener.note(ex.getMessage() + "; skipped");
            return;
        }
        Provenance from =
                new Provenance(
                        "local", uri, null, null, file.getFileName().toString(), clock.instant());
        ImageCollection.Added added = collection.add(label, image, from);
        switch (added.outcome()) {
            case KEPT -> {
                summary.kept(label);
                if (added.match() != null) {
                    summary.crossLabel(label);
                    listener.note(file + " ('" + label + "'): " + added.describe());
                }
            }
            case DUPLICATE -> summary.duplicate(label);
            case NEAR_DUPLICATE -> summary.nearDuplicate(label);
        }
    }
}
