package image2music.pipeline.progress;

/**
 * A cooperative stop: another thread calls {@link #cancel()}, the running use case sees it at its
 * next denoising step (or clip) and throws {@link CancelledException}. Results are written only
 * once everything is ready, so a cancelled run leaves no result files of its own; the finished
 * clips a long piece or an interpolation keeps for resuming stay, so the same request run again
 * goes on from them.
 */
public final class Cancellation {

    private volatile boolean cancelled;

    /** Asks the run to stop; safe from any thread, idempotent. */
    public void cancel() {
        cancelled = true;
    }

    /** Whether {@link #cancel()} was called. */
    public boolean isCancelled() {
        return cancelled;
    }

    /**
     * @throws CancelledException if {@link #cancel()} was called
     */
    public void check() {
        if (cancelled) {
            throw new CancelledException();
        }
    }
}
