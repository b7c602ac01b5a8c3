package image2music.data.scrape;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs commits (file write + manifest line) on one thread that is never interrupted, so an
 * interrupt of the scraping thread cannot cut a commit in half (an interrupted NIO write closes its
 * channel). The caller waits for the commit to finish, then sees the interrupt.
 */
final class Committer implements AutoCloseable {

    /** A commit step. */
    @FunctionalInterface
    interface Step {
        void run() throws IOException;
    }

    private final ExecutorService thread =
            Executors.newSingleThreadExecutor(
                    r -> {
                        Thread t = new Thread(r, "commit");
                        t.setDaemon(true);
                        return t;
                    });

    /** Runs {@code step} to completion; rethrows its failure; then honours a pending interrupt. */
    void run(Step step) throws IOException, InterruptedException {
        Future<?> f =
                thread.submit(
                        () -> {
                            step.run();
                            return null;
                        });
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof IOException io) {
                        throw io;
                    }
                    if (c instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException("Failed to commit", c);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    @Override
    public void close() {
        thread.shutdown();
    }
}
