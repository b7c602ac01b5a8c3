package image2music.audio.longform;

/**
 * Spectral flux at the joins of a piece against its own typical flux (see {@link SeamMetrics}).
 *
 * @param joinFlux the largest flux near each join, in join order
 * @param medianFlux the median frame-to-frame flux of the whole piece
 * @param typicalFlux the {@link SeamMetrics#TYPICAL_PERCENTILE}-th percentile of it
 */
public record SeamReport(double[] joinFlux, double medianFlux, double typicalFlux) {

    /** The worst join's flux over the typical flux; above 1 means a join stands out. */
    public double worstRatio() {
        double worst = 0;
        for (double f : joinFlux) {
            worst = Math.max(worst, f);
        }
        return typicalFlux == 0 ? (worst == 0 ? 0 : Double.POSITIVE_INFINITY) : worst / typicalFlux;
    }

    /** True when no join's flux exceeds the piece's typical flux. */
    public boolean seamless() {
        return worstRatio() <= 1;
    }
}
