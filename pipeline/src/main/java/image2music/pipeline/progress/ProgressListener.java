package image2music.pipeline.progress;

/** Told each {@link ProgressEvent} of a running use case, on the thread that runs it. */
@FunctionalInterface
public interface ProgressListener {

    /** Ignores every event. */
    ProgressListener NONE = event -> {};

    /** Called once per event, in order. */
    void on(ProgressEvent event);
}
