package image2music.data.importer;

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

/**
 * Brings a user's labelled image folders ({@code <from>/<label>/*}) into a media root with the
 * scraper's validation, conversion and duplicate detection, recorded with source {@code local} and
 * the original file as {@code source_url} ({@code file:} URI). Files already imported are skipped
 * without being read, so an interrupted import resumes.
 */
public final class ImageImporter extends FolderImporter<ImageCollection> {

    private final ImageNormalizer normalizer;
    private final int nearDistance;
    private final boolean dedupeAcrossLabels;

    public ImageImporter(
            ImageParams image, int nearDistance, boolean dedupeAcrossLabels, Clock clock) {
        super(clock);
        this.normalizer = new ImageNormalizer(image);
        this.nearDistance = nearDistance;
        this.dedupeAcrossLabels = dedupeAcrossLabels;
    }

    @Override
    protected ImageCollection open(Path root) throws IOException {
        return ImageCollection.open(root, nearDistance, dedupeAcrossLabels);
    }

    @Override
    protected void importNew(
            String label,
            Path file,
            Provenance from,
            ImageCollection collection,
            CollectSummary summary,
            CollectListener listener)
            throws IOException {
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
