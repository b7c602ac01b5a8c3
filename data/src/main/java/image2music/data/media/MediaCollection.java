package image2music.data.media;

import java.io.IOException;
import java.util.List;

/**
 * What every kind of collected media shares: a {@link MediaLibrary} (files + manifest) and the
 * de-duplication scope. Open from opening to {@link #close} (which unlocks the root). Subclasses
 * decide what a duplicate is and how a file is added.
 */
public abstract class MediaCollection implements AutoCloseable {

    protected final MediaLibrary library;
    protected final boolean dedupeAcrossLabels;

    protected MediaCollection(MediaLibrary library, boolean dedupeAcrossLabels) {
        this.library = library;
        this.dedupeAcrossLabels = dedupeAcrossLabels;
    }

    public MediaLibrary library() {
        return library;
    }

    /** Releases the media root for the next writer. */
    @Override
    public void close() throws IOException {
        library.close();
    }

    /** What opening the library mended (lines for the user). */
    public List<String> repairs() {
        return library.repairs();
    }

    /** Whether a file from {@code url} is kept already. */
    public synchronized boolean hasSource(String url) {
        return library.hasSource(url);
    }

    /** How many files {@code label} holds. */
    public synchronized int count(String label) {
        return library.count(label);
    }
}
