package image2music.data.media;

/** Progress of a collection run (scrape or import), for progress bars and logs. */
public interface CollectListener {

    /** A listener that ignores everything. */
    CollectListener NONE = new CollectListener() {};

    /** Work on {@code label} begins; {@code alreadyKept} files were kept by earlier runs. */
    default void labelStarted(String label, int target, int alreadyKept) {}

    /** {@code label} now holds {@code kept} files. */
    default void progress(String label, int kept) {}

    /** Work on {@code label} ends. */
    default void labelFinished(String label) {}

    /** Something the user should know about that is not an error (a cross-label duplicate…). */
    default void note(String message) {}
}
