package image2music.models.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.function.BiFunction;

/**
 * Runs a block in its own sub-manager so that its intermediates are freed when it returns, not when
 * the whole step ends: DJL keeps every array until its manager closes, and an SD-1.5 UNet step at
 * 64×64 latents otherwise holds all its attention maps at once (over 20 GB).
 *
 * <p>Only outside training: in a training step autograd keeps what backward needs alive anyway, so
 * little would be freed, and closing arrays under an open gradient collector is a path we have not
 * verified.
 */
final class Scopes {

    private Scopes() {}

    /**
     * {@code body(ps', x)} with {@code x} temporarily in a sub-manager of the step's (so results of
     * operations on it land there), keeping only the result, in the step's manager.
     */
    static NDArray run(
            ParameterStore ps,
            NDArray x,
            boolean training,
            BiFunction<ParameterStore, NDArray, NDArray> body) {
        if (training) {
            return body.apply(ps, x);
        }
        NDManager outer = ps.getManager();
        try (NDManager inner = outer.newSubManager()) {
            x.tempAttach(inner);
            NDArray out = body.apply(new ParameterStore(inner, false), x);
            if (out == x) {
                return out;
            }
            out.attach(outer);
            return out;
        }
    }
}
