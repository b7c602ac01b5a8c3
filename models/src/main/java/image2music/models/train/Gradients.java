package image2music.models.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import java.util.Map;

/**
 * Whole-model gradient operations DJL lacks: clearing (DJL accumulates gradients across backward
 * passes, as PyTorch does) and global-norm clipping ({@code clip_grad_norm_}; DJL's clipping is
 * element-wise).
 */
public final class Gradients {

    private static final NDIndex EVERYTHING = new NDIndex("...");

    private Gradients() {}

    /** Sets every gradient to zero, in place. */
    public static void zero(Map<String, Parameter> params, NDManager scratch) {
        for (Parameter p : params.values()) {
            NDArray a = p.getArray();
            if (a != null && a.hasGradient()) {
                NDArray g = a.getGradient();
                g.attach(scratch);
                // A fill, not a product with zero: an overflowed float16 step leaves infinities,
                // and ∞ · 0 is NaN.
                g.set(EVERYTHING, 0f);
            }
        }
    }

    /**
     * Divides every gradient by {@code lossScale} (undoing a scaled loss) and says whether they are
     * all finite; an overflowed float16 step is skipped, as {@code GradScaler.step} skips it.
     */
    public static boolean unscale(
            Map<String, Parameter> params, double lossScale, NDManager scratch) {
        boolean finite = true;
        for (Parameter p : params.values()) {
            NDArray a = p.getArray();
            if (a != null && a.hasGradient()) {
                NDArray g = a.getGradient();
                g.attach(scratch);
                g.muli((float) (1 / lossScale));
                // The largest magnitude: infinite or NaN exactly when some element is.
                finite &= Float.isFinite(g.abs().max().getFloat());
            }
        }
        return finite;
    }

    /**
     * Scales all gradients by max / (norm + 1e-6) when their global L2 norm exceeds {@code
     * maxNorm}, as {@code torch.nn.utils.clip_grad_norm_} does.
     *
     * @return the global norm before clipping
     */
    public static double clipGlobalNorm(
            Map<String, Parameter> params, double maxNorm, NDManager scratch) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("max gradient norm must be > 0, got " + maxNorm);
        }
        double sumSquares = 0;
        for (Parameter p : params.values()) {
            NDArray a = p.getArray();
            if (a != null && a.hasGradient()) {
                NDArray g = a.getGradient();
                g.attach(scratch);
                NDArray sq = g.square().sum();
                sumSquares += sq.getFloat();
            }
        }
        double norm = Math.sqrt(sumSquares);
        double coef = maxNorm / (norm + 1e-6);
        if (coef < 1) {
            for (Parameter p : params.values()) {
                NDArray a = p.getArray();
                if (a != null && a.hasGradient()) {
                    NDArray g = a.getGradient();
                    g.attach(scratch);
                    g.muli((float) coef);
                }
            }
        }
        return norm;
    }
}
