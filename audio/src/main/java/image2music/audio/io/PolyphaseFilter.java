package image2music.audio.io;

/**
 * The windowed-sinc low-pass of a rational L/M resampler, tabulated per output phase.
 *
 * <p>The continuous kernel is {@code h(t) = c·sinc(c·t)·kaiser(t / halfWidth)} with t in input
 * samples and {@code c = 2·cutoff / inputRate}, centred on the output instant so the output has no
 * delay. Row {@code r} of the table holds the taps for an output that falls {@code r/phases} of an
 * input sample after an input sample; each row is normalised to unit DC gain. When {@code L} is
 * small the table holds every phase exactly; otherwise it holds {@link #INTERPOLATED_PHASES} + 1
 * rows between which the caller interpolates linearly.
 */
final class PolyphaseFilter {

    /** Stop-band attenuation the Kaiser window is designed for, in dB. */
    static final double STOPBAND_DB = 90;

    /**
     * Transition band as a share of the lower Nyquist frequency: the pass band ends at 90 % of it
     * and the stop band starts exactly at it, so nothing above the lower Nyquist aliases.
     */
    static final double TRANSITION = 0.10;

    /** Phase count of the interpolated table; linear interpolation error stays below -140 dB. */
    static final int INTERPOLATED_PHASES = 4096;

    /** Largest table (phases × taps) built exactly; beyond it phases are interpolated. */
    private static final long MAX_EXACT_ENTRIES = 4L << 20;

    /** Taps per row, a multiple of 4 so the inner loop needs no remainder. */
    final int taps;

    /** Input samples before the output instant that the first tap touches, minus one. */
    final int before;

    /** Number of table rows minus one when interpolated; L when exact. */
    final int phases;

    /** True if rows are exact phases r/L; false if the caller interpolates between rows. */
    final boolean exact;

    /** Row-major coefficients: {@code rows × taps}. */
    final float[] table;

    PolyphaseFilter(int inputRate, int outputRate, int upFactor) {
        double lowerNyquist = Math.min(inputRate, outputRate) / 2.0;
        double transitionHz = TRANSITION * lowerNyquist;
        double cutoffHz = lowerNyquist - transitionHz / 2;
        double c = 2 * cutoffHz / inputRate;
        double beta = 0.1102 * (STOPBAND_DB - 8.7);
        // Kaiser's length estimate, in input samples.
        double length = (STOPBAND_DB - 7.95) / (2.285 * 2 * Math.PI * transitionHz / inputRate);
        double halfWidth = length / 2;
        int half = (int) Math.ceil(halfWidth);
        this.before = half - 1;
        this.taps = (2 * half + 3) / 4 * 4;
        this.exact = (long) upFactor * taps <= MAX_EXACT_ENTRIES;
        this.phases = exact ? upFactor : INTERPOLATED_PHASES;
        int rows = exact ? phases : phases + 1;
        this.table = new float[rows * taps];
        double i0Beta = besselI0(beta);
        double[] row = new double[taps];
        for (int r = 0; r < rows; r++) {
            double frac = r / (double) phases;
            double sum = 0;
            for (int i = 0; i < taps; i++) {
                double t = i - before - frac;
                double v = 0;
                if (Math.abs(t) < halfWidth) {
                    double w = t / halfWidth;
                    v = c * sinc(c * t) * besselI0(beta * Math.sqrt(1 - w * w)) / i0Beta;
                }
                row[i] = v;
                sum += v;
            }
            for (int i = 0; i < taps; i++) {
                table[r * taps + i] = (float) (row[i] / sum);
            }
        }
    }

    private static double sinc(double x) {
        if (x == 0) {
            return 1;
        }
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }

    /** Modified Bessel function of the first kind, order 0, by its power series. */
    static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double q = x * x / 4;
        for (int k = 1; k < 500; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return sum;
    }
}
