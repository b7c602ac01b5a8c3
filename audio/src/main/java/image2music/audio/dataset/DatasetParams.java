package image2music.audio.dataset;

/**
 * How audio is cut into training images: segment length, tile width in pixels (0 = one image per
 * whole segment), silence threshold, and the STFT hop that links pixels to samples.
 */
public record DatasetParams(
        double segmentSeconds, int tileWidth, double silenceDbfs, int sampleRate, int hopLength) {

    public static final double DEFAULT_SEGMENT_SECONDS = 15;
    public static final int DEFAULT_TILE_WIDTH = 512;
    public static final double DEFAULT_SILENCE_DBFS = -60;

    public DatasetParams {
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
    }

    /** The defaults of design.md: 15 s segments, 512 px tiles, -60 dBFS, 44.1 kHz, hop 441. */
    public static DatasetParams defaults() {
        return new DatasetParams(
                DEFAULT_SEGMENT_SECONDS, DEFAULT_TILE_WIDTH, DEFAULT_SILENCE_DBFS, 44100, 441);
    }

    public DatasetParams withSegmentSeconds(double s) {
        return new DatasetParams(s, tileWidth, silenceDbfs, sampleRate, hopLength);
    }

    public DatasetParams withTileWidth(int w) {
        return new DatasetParams(segmentSeconds, w, silenceDbfs, sampleRate, hopLength);
    }

    public int segmentSamples() {
        return segmentSamples(segmentSeconds, sampleRate);
    }

    private static int segmentSamples(double seconds, int rate) {
        return (int) Math.round(seconds * rate);
    }
}
