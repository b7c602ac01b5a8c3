package image2music.audio.spectrogram;

import java.util.SplittableRandom;

/**
 * Phase from magnitude alone by phase-gradient heuristic integration (PGHI; Prusa, Balazs and
 * Sondergaard, "A noniterative method for reconstruction of phase from STFT magnitude", 2017).
 *
 * <p>For a Gaussian window exp(-pi t^2 / lambda) the STFT phase gradient follows from the
 * log-magnitude s: per hop a, in the time-invariant convention, the phase advances by {@code
 * (a M / lambda) ds/dk + 2 pi a k / M}, and per bin by {@code -(lambda / (a M)) ds/dt}. A Hann
 * window of length L is close to a Gaussian with lambda = 0.25645 L^2. The gradients are
 * integrated (trapezoid rule) outward from the largest coefficients first, so phase errors gather
 * where they are quietest. The max-first order uses a bucket queue over quantised log-magnitude:
 * O(1) per coefficient instead of a heap's O(log n). Coefficients more than {@link #TOLERANCE}
 * below the peak get a seeded random phase.
 */
final class PhaseGradientHeuristic {

    /** Relative magnitude below which a coefficient's phase is left random (-100 dB). */
    static final double TOLERANCE = 1e-5;

    private static final double HANN_LAMBDA = 0.25645;
    private static final int BUCKETS = 4096;
    private static final double TWO_PI = 2 * Math.PI;

    private PhaseGradientHeuristic() {}

    /**
     * Phases for magnitudes {@code mag[frame][bin]} of an STFT with hop {@code hop}, FFT length
     * {@code nFft} and a Hann window of {@code winLength}; the result is {@code [frame][bin]}.
     */
    static float[][] phases(float[][] mag, int hop, int nFft, int winLength, long seed) {
        int frames = mag.length;
        int bins = mag[0].length;
        int n = frames * bins;
        SplittableRandom random = new SplittableRandom(seed);
        float[][] phase = new float[frames][bins];
        float peak = 0;
        for (float[] row : mag) {
            for (float v : row) {
                peak = Math.max(peak, v);
            }
        }
        if (!(peak > 0)) {
            for (float[] row : phase) {
                for (int k = 0; k < bins; k++) {
                    row[k] = (float) (random.nextDouble() * TWO_PI);
                }
            }
            return phase;
        }
        double logFloor = Math.log(peak * TOLERANCE);
        double logPeak = Math.log(peak);
        float[][] logMag = new float[frames][bins];
        for (int t = 0; t < frames; t++) {
            for (int k = 0; k < bins; k++) {
                logMag[t][k] = (float) Math.log(Math.max(mag[t][k], peak * TOLERANCE));
            }
        }
        double lambda = HANN_LAMBDA * winLength * (double) winLength;
        double timeScale = (double) hop * nFft / lambda;
        double freqScale = -lambda / ((double) hop * nFft);
        double binAdvance = TWO_PI * hop / nFft;

        boolean[] done = new boolean[n];
        int[] bucketOf = new int[n];
        int[] count = new int[BUCKETS];
        double toBucket = (BUCKETS - 1) / Math.max(1e-12, logPeak - logFloor);
        for (int t = 0; t < frames; t++) {
            for (int k = 0; k < bins; k++) {
                int idx = t * bins + k;
                if (mag[t][k] <= peak * TOLERANCE) {
                    done[idx] = true;
                    phase[t][k] = (float) (random.nextDouble() * TWO_PI);
                    bucketOf[idx] = -1;
                } else {
                    int b = (int) ((logMag[t][k] - logFloor) * toBucket);
                    bucketOf[idx] = b;
                    count[b]++;
                }
            }
        }
        // Counting sort of the seeds, loudest first.
        int[] offsets = new int[BUCKETS + 1];
        for (int b = BUCKETS - 1, acc = 0; b >= 0; b--) {
            offsets[b] = acc;
            acc += count[b];
        }
        int[] order = new int[n];
        int ordered = 0;
        for (int idx = 0; idx < n; idx++) {
            int b = bucketOf[idx];
            if (b >= 0) {
                order[offsets[b]++] = idx;
                ordered++;
            }
        }

        int[] head = new int[BUCKETS];
        java.util.Arrays.fill(head, -1);
        int[] next = new int[n];
        int top = -1;
        for (int o = 0; o < ordered; o++) {
            int seedIdx = order[o];
            if (done[seedIdx]) {
                continue;
            }
            done[seedIdx] = true;
            phase[seedIdx / bins][seedIdx % bins] = 0f;
            int b0 = bucketOf[seedIdx];
            next[seedIdx] = head[b0];
            head[b0] = seedIdx;
            top = Math.max(top, b0);
            while (true) {
                while (top >= 0 && head[top] < 0) {
                    top--;
                }
                if (top < 0) {
                    break;
                }
                int cur = head[top];
                head[top] = next[cur];
                int t = cur / bins;
                int k = cur % bins;
                double ph = phase[t][k];
                double tg = timeGrad(logMag, t, k, timeScale, binAdvance);
                double fg = freqGrad(logMag, t, k, freqScale);
                for (int dir = 0; dir < 4; dir++) {
                    int tn = t;
                    int kn = k;
                    switch (dir) {
                        case 0 -> tn = t + 1;
                        case 1 -> tn = t - 1;
                        case 2 -> kn = k + 1;
                        default -> kn = k - 1;
                    }
                    if (tn < 0 || tn >= frames || kn < 0 || kn >= bins) {
                        continue;
                    }
                    int nIdx = tn * bins + kn;
                    if (done[nIdx]) {
                        continue;
                    }
                    double p;
                    if (dir < 2) {
                        double step = 0.5 * (tg + timeGrad(logMag, tn, kn, timeScale, binAdvance));
                        p = dir == 0 ? ph + step : ph - step;
                    } else {
                        double step = 0.5 * (fg + freqGrad(logMag, tn, kn, freqScale));
                        p = dir == 2 ? ph + step : ph - step;
                    }
                    phase[tn][kn] = (float) (p - TWO_PI * Math.floor(p / TWO_PI + 0.5));
                    done[nIdx] = true;
                    int b = bucketOf[nIdx];
                    next[nIdx] = head[b];
                    head[b] = nIdx;
                    if (b > top) {
                        top = b;
                    }
                }
            }
        }
        return phase;
    }

    /** Phase advance per hop at (t, k). */
    private static double timeGrad(
            float[][] s, int t, int k, double timeScale, double binAdvance) {
        float[] row = s[t];
        int bins = row.length;
        double d;
        if (bins == 1) {
            d = 0;
        } else if (k == 0) {
            d = row[1] - row[0];
        } else if (k == bins - 1) {
            d = row[k] - row[k - 1];
        } else {
            d = 0.5 * (row[k + 1] - row[k - 1]);
        }
        return timeScale * d + binAdvance * k;
    }

    /** Phase advance per bin at (t, k). */
    private static double freqGrad(float[][] s, int t, int k, double freqScale) {
        int frames = s.length;
        double d;
        if (frames == 1) {
            d = 0;
        } else if (t == 0) {
            d = s[1][k] - s[0][k];
        } else if (t == frames - 1) {
            d = s[t][k] - s[t - 1][k];
        } else {
            d = 0.5 * (s[t + 1][k] - s[t - 1][k]);
        }
        return freqScale * d;
    }
}
