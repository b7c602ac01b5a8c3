package image2music.pipeline.progress;

/** Thrown out of a use case whose {@link Cancellation} was cancelled. */
public final class CancelledException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CancelledException() {
        super("cancelled");
    }
}
