package image2music.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;

/** Compares arrays with |a − b| ≤ abs + rel·|b|, reporting the worst element. */
public final class Tolerances {

    /** Tiny-model outputs and intermediates (fixtures README). */
    public static final double OUTPUT_ABS = 1e-4;

    public static final double OUTPUT_REL = 1e-4;

    /** Losses. */
    public static final double LOSS_ABS = 1e-5;

    /** Gradients. */
    public static final double GRAD_ABS = 1e-6;

    public static final double GRAD_REL = 1e-3;

    private Tolerances() {}

    /** Asserts {@code actual} matches {@code expected} in shape and within the bound. */
    public static void assertClose(
            String what, NDArray expected, NDArray actual, double abs, double rel) {
        assertArrayEquals(
                expected.getShape().getShape(), actual.getShape().getShape(), what + ": shape");
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        int worst = -1;
        double worstExcess = 0;
        double sq = 0;
        for (int i = 0; i < e.length; i++) {
            double d = Math.abs(a[i] - e[i]);
            sq += d * d;
            double excess = d - (abs + rel * Math.abs(e[i]));
            if (excess > worstExcess || Double.isNaN(d)) {
                worstExcess = Double.isNaN(d) ? Double.POSITIVE_INFINITY : excess;
                worst = i;
            }
        }
        if (worst >= 0) {
            fail(
                    String.format(
                            "%s: element %d is %.8g, expected %.8g (bound %.1g + %.1g*|b|); RMSE %.3g",
                            what, worst, a[worst], e[worst], abs, rel, Math.sqrt(sq / e.length)));
        }
    }
}
