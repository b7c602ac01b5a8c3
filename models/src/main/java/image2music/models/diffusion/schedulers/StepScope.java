package image2music.models.diffusion.schedulers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Owns a step's intermediate arrays: inputs are attached to a scratch manager for the duration of
 * the step (and go back to their own managers afterwards), so every array an operation creates is
 * freed on {@link #close()} except those handed out with {@link #keep}.
 */
final class StepScope implements AutoCloseable {

    private final NDManager output;
    private final NDManager scratch;

    /** A scope whose kept results go to {@code sample}'s manager. */
    StepScope(NDArray sample) {
        this.output = sample.getManager();
        this.scratch = output.newSubManager();
    }

    /** {@code a}, attached to the scratch manager until the scope closes. */
    NDArray in(NDArray a) {
        if (a != null && a.getManager() != scratch) {
            a.tempAttach(scratch);
        }
        return a;
    }

    /** The scratch manager (for arrays a step creates from scratch, such as noise). */
    NDManager manager() {
        return scratch;
    }

    /** Moves {@code a} to the output manager so that it survives the scope. */
    NDArray keep(NDArray a) {
        a.attach(output);
        return a;
    }

    @Override
    public void close() {
        scratch.close();
    }
}
