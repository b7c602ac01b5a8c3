package image2music.audio.spectrogram;

import image2music.audio.io.Resampler;

/**
 * The sample rate phase recovery runs at, with its STFT sizes in samples there.
 *
 * <p>A spectrogram holds nothing above its top mel filter (10 kHz by default), so the signal that
 * Griffin-Lim rebuilds is band-limited: it can be rebuilt at a lower rate {@code r = rate·p/q} and
 * resampled to the image's rate afterwards. Hop, window and n_fft keep their durations and shrink
 * by p/q, so the bin spacing {@code rate / n_fft} is the same at both rates: bin k is the same
 * frequency, and the mel filterbank, the inverse mel and the phase-gradient formulas (which only
 * see hop·n_fft / window² and hop / n_fft) apply unchanged. Only the FFTs, most of Griffin-Lim's
 * time, shrink. By default this is 22400 Hz (p/q = 224/441): hop 224, window 2240, n_fft 8960.
 *
 * <p>The rate is the lowest one that keeps every sample count an integer, passes the top kept bin
 * plus the Hann window's main lobe (which widens each frame's spectrum) inside the {@link
 * Resampler}'s pass band, and leaves an FFT length with no prime factor above {@value
 * #MAX_FFT_PRIME} (FFTW's fast codelets: a smaller length with a large prime factor can be slower
 * than the full one). Without such a rate, phase recovery runs at the full rate.
 *
 * @param sampleRate rate Griffin-Lim runs at, in Hz
 * @param hopLength hop in samples at that rate
 * @param winLength Hann window length in samples at that rate
 * @param nFft FFT length in samples at that rate
 */
record PhaseRecoveryRate(int sampleRate, int hopLength, int winLength, int nFft) {

    static final int MAX_FFT_PRIME = 7;

    /** The lowest usable rate for spectrograms made with {@code p} keeping {@code bins} bins. */
    static PhaseRecoveryRate of(SpectrogramParams p, int bins) {
        int rate = p.sampleRate();
        int hop = p.hopLength();
        int win = p.winLength();
        int n = p.nFft();
        // The Hann main lobe reaches 2 / (window duration) Hz either side of a bin.
        double topHz = (bins - 1) * (double) rate / n + 2.0 * rate / win;
        // p/q in lowest terms keeps the counts integer only when q divides all of them (and the
        // rate, which must stay an integer number of Hz).
        int g = gcd(gcd(hop, win), gcd(n, rate));
        PhaseRecoveryRate best = new PhaseRecoveryRate(rate, hop, win, n);
        for (int q = 2; q <= g; q++) {
            if (g % q != 0) {
                continue;
            }
            for (int num = 1; num < q; num++) {
                int r = (int) ((long) rate * num / q);
                if (r >= best.sampleRate) {
                    break;
                }
                int nr = (int) ((long) n * num / q);
                if (Resampler.passBandEdgeHz(r, rate) >= topHz
                        && bins <= nr / 2 + 1
                        && largestPrimeFactor(nr) <= MAX_FFT_PRIME) {
                    best =
                            new PhaseRecoveryRate(
                                    r,
                                    (int) ((long) hop * num / q),
                                    (int) ((long) win * num / q),
                                    nr);
                    break;
                }
            }
        }
        return best;
    }

    /** True if phase recovery runs below {@code p}'s rate (and must be resampled after). */
    boolean isReducedFrom(SpectrogramParams p) {
        return sampleRate != p.sampleRate();
    }

    /**
     * What STFT magnitudes at {@code p}'s rate are multiplied by at this rate, for the same
     * band-limited signal: each coefficient is a Riemann sum over the window's samples, so it
     * scales with the window's sum, L/2 for a periodic Hann window of L samples.
     */
    double magnitudeScale(SpectrogramParams p) {
        return (double) winLength / p.winLength();
    }

    private static int largestPrimeFactor(int n) {
        int largest = 1;
        for (int f = 2; (long) f * f <= n; f++) {
            while (n % f == 0) {
                largest = f;
                n /= f;
            }
        }
        return Math.max(largest, n);
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
