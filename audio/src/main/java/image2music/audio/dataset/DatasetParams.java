package image2music.audio.dataset;

import image2music.audio.spectrogram.SpectrogramParams;

/**
 * How audio is cut into training images: segment length, tile width in pixels (0 = one image per
 * whole segment), silence threshold, the STFT hop that links pixels to samples, and the number of
 * mel bins (image rows) of every tile.
 */
public record DatasetParams(
        double segmentSeconds,
        int tileWidth,
        double silenceDbfs,
        int sampleRate,
        int hopLength,
        int melBins) {

    public static final double DEFAULT_SEGMENT_SECONDS = 15;
    public static final int DEFAULT_TILE_WIDTH = 512;
    public static final double DEFAULT_SILENCE_DBFS = -60;

    /** Riffusion's 512 rows. */
    public static final int DEFAULT_MEL_BINS = 512;

    /**
     * Fewest mel bins accepted: below this the triangular filters over 0-10 kHz are wider than an
     * octave at the top, and the images say little about pitch.
     */
    public static final int MIN_MEL_BINS = 16;

    /**
     * Most mel bins accepted: twice Riffusion's, still well under the 4000 FFT bins below 10 kHz.
     */
    public static final int MAX_MEL_BINS = 1024;

    public DatasetParams {
        if (sampleRate < 1 || hopLength < 1 || (long) hopLength * 1000 % sampleRate != 0) {
            throw new IllegalArgumentException(
                    "a hop of "
                            + hopLength
                            + " samples at "
                            + sampleRate
                            + " Hz is not a whole number of milliseconds");
        }
        if (!(segmentSeconds > 0)) {
            throw new IllegalArgumentException(
                    "segment length must be positive: " + segmentSeconds);
        }
        if (tileWidth < 0 || tileWidth == 1) {
            throw new IllegalArgumentException("tile width must be 0 or at least 2: " + tileWidth);
        }
        if (tileWidth > 0
                && segmentSamples(segmentSeconds, sampleRate) < (tileWidth - 1L) * hopLength) {
            throw new IllegalArgumentException(
                    String.format(
                            "a %s s segment is shorter than one %d px tile (%.2f s)",
                            segmentSeconds, tileWidth, (tileWidth - 1.0) * hopLength / sampleRate));
        }
        if (melBins < MIN_MEL_BINS || melBins > MAX_MEL_BINS) {
            throw new IllegalArgumentException(
                    "mel bins must be in " + MIN_MEL_BINS + ".." + MAX_MEL_BINS + ": " + melBins);
        }
    }

    /** Riffusion's 512 mel bins. */
    public DatasetParams(
            double segmentSeconds,
            int tileWidth,
            double silenceDbfs,
            int sampleRate,
            int hopLength) {
        this(segmentSeconds, tileWidth, silenceDbfs, sampleRate, hopLength, DEFAULT_MEL_BINS);
    }

    /**
     * Tiles in Riffusion's format ({@link SpectrogramParams#defaults}: 44.1 kHz, a 100 ms window)
     * with one column every {@code stepMs} milliseconds: what build-dataset makes, locally or on
     * Spark.
     *
     * @throws IllegalArgumentException naming the value out of range: a step outside 1 ms to the
     *     window (longer ones would leave audio no window covers), or any the constructor refuses
     */
    public static DatasetParams of(
            double segmentSeconds, int tileWidth, double silenceDbfs, int stepMs, int melBins) {
        SpectrogramParams base = SpectrogramParams.defaults();
        if (stepMs < 1 || stepMs > base.windowDurationMs()) {
            throw new IllegalArgumentException(
                    "step must be 1 to the " + base.windowDurationMs() + " ms window: " + stepMs);
        }
        return new DatasetParams(
                segmentSeconds,
                tileWidth,
                silenceDbfs,
                base.sampleRate(),
                base.withStepSizeMs(stepMs).hopLength(),
                melBins);
    }

    /** The defaults of design.md: 15 s segments, 512 px tiles, -60 dBFS, 44.1 kHz, hop 441. */
    public static DatasetParams defaults() {
        return new DatasetParams(
                DEFAULT_SEGMENT_SECONDS, DEFAULT_TILE_WIDTH, DEFAULT_SILENCE_DBFS, 44100, 441);
    }

    public DatasetParams withSegmentSeconds(double s) {
        return new DatasetParams(s, tileWidth, silenceDbfs, sampleRate, hopLength, melBins);
    }

    public DatasetParams withTileWidth(int w) {
        return new DatasetParams(segmentSeconds, w, silenceDbfs, sampleRate, hopLength, melBins);
    }

    public DatasetParams withMelBins(int n) {
        return new DatasetParams(segmentSeconds, tileWidth, silenceDbfs, sampleRate, hopLength, n);
    }

    /**
     * The spectrogram format of the tiles: {@code base} at this sample rate with this hop and
     * {@link #melBins} rows over the same frequency range, which the images' EXIF tags STEP_SIZE_MS
     * and NUM_FREQUENCIES then record.
     */
    public SpectrogramParams spectrogramParams(SpectrogramParams base) {
        if (base.sampleRate() != sampleRate) {
            throw new IllegalArgumentException(
                    "spectrogram is at " + base.sampleRate() + " Hz, the dataset at " + sampleRate);
        }
        return base.withStepSizeMs(stepSizeMs()).withNumFrequencies(melBins);
    }

    /** The hop in milliseconds (a whole number: the EXIF tag is one). */
    public int stepSizeMs() {
        return (int) ((long) hopLength * 1000 / sampleRate);
    }

    public int segmentSamples() {
        return segmentSamples(segmentSeconds, sampleRate);
    }

    private static int segmentSamples(double seconds, int rate) {
        return (int) Math.round(seconds * rate);
    }
}
