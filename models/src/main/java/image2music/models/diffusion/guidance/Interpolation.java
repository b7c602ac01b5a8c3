package image2music.models.diffusion.guidance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Interpolation between two generation endpoints, Riffusion's way: text embeddings are lerped,
 * initial noise is slerped. Slerp keeps the noise on the shell where Gaussian samples live (a
 * lerp's midpoint of two independent samples has only about 0.71 of their norm, which the model
 * sees as a quieter, blurrier start).
 */
public final class Interpolation {

    /**
     * Above this |cosine| the two vectors are treated as parallel and slerp falls back to lerp,
     * where the slerp formula divides by a sine near 0 (Riffusion's threshold).
     */
    public static final double DOT_THRESHOLD = 0.9995;

    private Interpolation() {}

    /** {@code (1 - t) a + t b}, in {@code a}'s manager; shapes must match. */
    public static NDArray lerp(NDArray a, NDArray b, double t) {
        checkT(t);
        checkShapes(a, b);
        return combine(a, b, 1 - t, t);
    }

    /**
     * Spherical interpolation: {@code sin((1 - t) θ) / sin θ · v0 + sin(t θ) / sin θ · v1} with
     * {@code θ} the angle between {@code v0} and {@code v1} (flattened), or {@link #lerp} when
     * {@code |cos θ| > }{@link #DOT_THRESHOLD}. The cosine is computed in double precision.
     */
    public static NDArray slerp(NDArray v0, NDArray v1, double t) {
        checkT(t);
        checkShapes(v0, v1);
        double dot = cosine(v0, v1);
        if (Math.abs(dot) > DOT_THRESHOLD) {
            return combine(v0, v1, 1 - t, t);
        }
        double theta = Math.acos(dot);
        double sinTheta = Math.sin(theta);
        double s0 = Math.sin(theta - t * theta) / sinTheta;
        double s1 = Math.sin(t * theta) / sinTheta;
        return combine(v0, v1, s0, s1);
    }

    /** The cosine of the angle between the flattened arrays (0 when either is all zeros). */
    static double cosine(NDArray a, NDArray b) {
        try (NDManager scope = a.getManager().newSubManager()) {
            NDArray x = a.toType(DataType.FLOAT64, true);
            NDArray y = b.toType(DataType.FLOAT64, true);
            x.attach(scope);
            y.attach(scope);
            double dot = x.mul(y).sum().getDouble();
            double nx = Math.sqrt(x.square().sum().getDouble());
            double ny = Math.sqrt(y.square().sum().getDouble());
            return nx == 0 || ny == 0 ? 0 : dot / (nx * ny);
        }
    }

    private static NDArray combine(NDArray a, NDArray b, double wa, double wb) {
        NDManager outer = a.getManager();
        try (NDManager scope = outer.newSubManager()) {
            NDArray sa = a.mul((float) wa);
            NDArray sb = b.mul((float) wb);
            sa.attach(scope);
            sb.attach(scope);
            NDArray out = sa.add(sb);
            out.attach(outer);
            return out;
        }
    }

    private static void checkT(double t) {
        if (!(t >= 0 && t <= 1)) {
            throw new IllegalArgumentException("interpolation t must be in [0, 1], got " + t);
        }
    }

    private static void checkShapes(NDArray a, NDArray b) {
        if (!a.getShape().equals(b.getShape())) {
            throw new IllegalArgumentException(
                    "cannot interpolate arrays of shapes " + a.getShape() + " and " + b.getShape());
        }
    }
}
