package image2music.pipeline.evaluate;

/**
 * The Wilson score interval of a share: where the true rate of a yes/no outcome lies, at 95 %,
 * after {@code n} trials. Unlike the normal approximation it stays inside [0, 1] and is not a point
 * at 0 % or 100 %, which matters at the few dozen clips an evaluation scores.
 *
 * <p>It treats the trials as independent. Clips cut from one piece, or generated from one prompt,
 * are not quite, so read it as the least uncertainty there is.
 *
 * @param low the lower bound
 * @param high the upper bound
 */
public record WilsonInterval(double low, double high) {

    /** The two-sided 95 % normal quantile. */
    private static final double Z = 1.959963984540054;

    /** The interval of {@code share} observed over {@code n} trials; NaN bounds for none. */
    public static WilsonInterval of(double share, int n) {
        if (n <= 0 || Double.isNaN(share)) {
            return new WilsonInterval(Double.NaN, Double.NaN);
        }
        double z2 = Z * Z;
        double d = 1 + z2 / n;
        double centre = (share + z2 / (2.0 * n)) / d;
        double half = Z * Math.sqrt(share * (1 - share) / n + z2 / (4.0 * n * n)) / d;
        return new WilsonInterval(Math.max(0, centre - half), Math.min(1, centre + half));
    }
}
