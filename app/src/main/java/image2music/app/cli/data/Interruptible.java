package image2music.app.cli.data;

import java.util.concurrent.Callable;

/**
 * Runs long collection work so that Ctrl-C stops it cleanly: a shutdown hook interrupts the working
 * thread and waits (a few seconds at most) for it to finish the file it is committing.
 */
public final class Interruptible {

    private static final long GRACE_MILLIS = 10_000;

    private Interruptible() {}

    static <T> T run(Callable<T> work) throws Exception {
        Thread worker = Thread.currentThread();
        Thread hook =
                new Thread(
                        () -> {
                            worker.interrupt();
                            try {
                                worker.join(GRACE_MILLIS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "stop-on-ctrl-c");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return work.call();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running: let it wait for us.
            }
        }
    }
}
