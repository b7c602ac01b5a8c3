package image2music.audio.spectrogram;

/**
 * Parameters of a Riffusion-format spectrogram; the defaults are Riffusion's.
 *
 * <p>The first nine values travel with every image as EXIF tags (see {@link SpectrogramExif});
 * {@code griffinLimIters} only steers the inversion.
 *
 * @param stereo two channels in the image (G = left, B = right) instead of one grey channel
 * @param sampleRate audio rate in Hz
 * @param stepSizeMs hop between frames in milliseconds (one image column)
 * @param windowDurationMs length of the Hann window in milliseconds
 * @param paddedDurationMs FFT length in milliseconds (the window is zero-padded to it)
 * @param numFrequencies number of mel bins (image rows)
 * @param minFrequency lowest mel filter edge in Hz
 * @param maxFrequency highest mel filter edge in Hz
 * @param powerForImage exponent applied to normalised amplitudes before quantising to 8 bits
 * @param griffinLimIters phase-recovery iterations when turning a spectrogram back into audio
 */
public record SpectrogramParams(
        boolean stereo,
        int sampleRate,
        int stepSizeMs,
        int windowDurationMs,
        int paddedDurationMs,
        int numFrequencies,
        int minFrequency,
        int maxFrequency,
        double powerForImage,
        int griffinLimIters) {

    /** Highest sample rate accepted (Hz): beyond any audio format in use. */
    public static final int MAX_SAMPLE_RATE = 384_000;

    /** Longest hop accepted (ms): one column per second is already far coarser than music needs. */
    public static final int MAX_STEP_MS = 1000;

    /** Longest FFT accepted (samples): 2^18 (5.9 s at 44.1 kHz; Riffusion's is 17640). */
    public static final int MAX_FFT = 1 << 18;

    /** Most mel bins (image rows) accepted. */
    public static final int MAX_MEL_BINS = 4096;

    /** Largest power-for-image exponent accepted (Riffusion's is 0.25). */
    public static final double MAX_POWER_FOR_IMAGE = 16;

    /**
     * Every value is bounded, since images carry them as EXIF tags from anywhere: an absurd one
     * would otherwise plan a multi-gigabyte FFT or allocate without limit before anything else is
     * checked.
     *
     * @throws IllegalArgumentException naming the value out of range
     */
    public SpectrogramParams {
        requireIn("sample rate (Hz)", sampleRate, MAX_SAMPLE_RATE);
        requireIn("step size (ms)", stepSizeMs, MAX_STEP_MS);
        requirePositive("window duration (ms)", windowDurationMs);
        requirePositive("padded duration (ms)", paddedDurationMs);
        requireIn("number of frequencies", numFrequencies, MAX_MEL_BINS);
        long fft = (long) sampleRate * paddedDurationMs / 1000;
        if (fft > MAX_FFT) {
            throw new IllegalArgumentException(
                    "padded duration "
                            + paddedDurationMs
                            + " ms at "
                            + sampleRate
                            + " Hz is an FFT of "
                            + fft
                            + " samples, over the limit of "
                            + MAX_FFT);
        }
        if (griffinLimIters < 0) {
            throw new IllegalArgumentException(
                    "Griffin-Lim iterations must be >= 0, got " + griffinLimIters);
        }
        if (minFrequency < 0 || maxFrequency <= minFrequency || 2 * maxFrequency > sampleRate) {
            throw new IllegalArgumentException(
                    "frequency range must satisfy 0 <= min < max <= rate/2, got "
                            + minFrequency
                            + ".."
                            + maxFrequency
                            + " Hz at "
                            + sampleRate
                            + " Hz");
        }
        if (!(powerForImage > 0 && powerForImage <= MAX_POWER_FOR_IMAGE)) {
            throw new IllegalArgumentException(
                    "power for image must be in (0, "
                            + MAX_POWER_FOR_IMAGE
                            + "], got "
                            + powerForImage);
        }
        if (paddedDurationMs < windowDurationMs) {
            throw new IllegalArgumentException(
                    "padded duration "
                            + paddedDurationMs
                            + " ms is shorter than the window "
                            + windowDurationMs
                            + " ms");
        }
        long hop = (long) sampleRate * stepSizeMs / 1000;
        if (hop < 1) {
            throw new IllegalArgumentException("step size is below one sample");
        }
    }

    /** Riffusion's defaults: mono, 44.1 kHz, hop 10 ms, window 100 ms, n_fft 400 ms, 512 mel. */
    public static SpectrogramParams defaults() {
        return new SpectrogramParams(false, 44100, 10, 100, 400, 512, 0, 10000, 0.25, 32);
    }

    /** Hop between frames in samples (441 by default). */
    public int hopLength() {
        return (int) ((long) sampleRate * stepSizeMs / 1000);
    }

    /** Hann window length in samples (4410 by default). */
    public int winLength() {
        return (int) ((long) sampleRate * windowDurationMs / 1000);
    }

    /** FFT length in samples (17640 by default). */
    public int nFft() {
        return (int) ((long) sampleRate * paddedDurationMs / 1000);
    }

    /** Number of image channels: 2 for stereo, 1 for mono. */
    public int channels() {
        return stereo ? 2 : 1;
    }

    /** Image width for a clip of {@code samples} samples: 1 + floor(samples / hop). */
    public int framesFor(int samples) {
        return 1 + samples / hopLength();
    }

    public SpectrogramParams withStereo(boolean s) {
        return new SpectrogramParams(
                s,
                sampleRate,
                stepSizeMs,
                windowDurationMs,
                paddedDurationMs,
                numFrequencies,
                minFrequency,
                maxFrequency,
                powerForImage,
                griffinLimIters);
    }

    public SpectrogramParams withGriffinLimIters(int iters) {
        return new SpectrogramParams(
                stereo,
                sampleRate,
                stepSizeMs,
                windowDurationMs,
                paddedDurationMs,
                numFrequencies,
                minFrequency,
                maxFrequency,
                powerForImage,
                iters);
    }

    /** The same format with one image column every {@code ms} milliseconds. */
    public SpectrogramParams withStepSizeMs(int ms) {
        return new SpectrogramParams(
                stereo,
                sampleRate,
                ms,
                windowDurationMs,
                paddedDurationMs,
                numFrequencies,
                minFrequency,
                maxFrequency,
                powerForImage,
                griffinLimIters);
    }

    /** The same format with {@code mels} mel bins (image rows) over the same frequency range. */
    public SpectrogramParams withNumFrequencies(int mels) {
        return new SpectrogramParams(
                stereo,
                sampleRate,
                stepSizeMs,
                windowDurationMs,
                paddedDurationMs,
                mels,
                minFrequency,
                maxFrequency,
                powerForImage,
                griffinLimIters);
    }

    /** True if both describe the same image format (everything but the Griffin-Lim setting). */
    public boolean sameFormat(SpectrogramParams o) {
        return withGriffinLimIters(0).equals(o.withGriffinLimIters(0));
    }

    private static void requireIn(String what, int v, int max) {
        if (v <= 0 || v > max) {
            throw new IllegalArgumentException(what + " must be in 1.." + max + ", got " + v);
        }
    }

    private static void requirePositive(String what, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + v);
        }
    }
}
