package image2music.audio.longform;

import image2music.audio.spectrogram.SpectrogramParams;

/**
 * Where the clips of a long piece go: clips of {@code width} frames, generated left to right, each
 * starting {@code width - overlap} frames after the previous one, so consecutive clips share {@code
 * overlap} frames. The last clip usually reaches past the end of the piece; its surplus is cut off
 * (rather than shifting it left) so every clip starts on the same stride, which keeps a latent
 * model's known columns on the latent grid when width and overlap are multiples of the VAE factor
 * (8).
 *
 * @param totalFrames frames of the whole piece, {@code 1 + floor(samples / hop)}
 * @param width frames per clip (image width in pixels)
 * @param overlap frames shared by consecutive clips
 */
public record ClipPlan(int totalFrames, int width, int overlap) {

    public ClipPlan {
        if (totalFrames < 1) {
            throw new IllegalArgumentException(
                    "a piece needs at least one frame, got " + totalFrames);
        }
        if (width < 1) {
            throw new IllegalArgumentException("clip width must be positive, got " + width);
        }
        if (overlap < 0 || overlap >= width) {
            throw new IllegalArgumentException(
                    "overlap must be in [0, width " + width + "), got " + overlap);
        }
    }

    /** The plan for {@code seconds} of audio with Riffusion's default parameters (hop 441). */
    public static ClipPlan forSeconds(double seconds, int widthPx, int overlapPx) {
        return forSeconds(seconds, widthPx, overlapPx, SpectrogramParams.defaults());
    }

    /**
     * The plan for {@code seconds} of audio at {@code params}: {@code round(seconds * rate)}
     * samples, {@code 1 + floor(samples / hop)} frames.
     */
    public static ClipPlan forSeconds(
            double seconds, int widthPx, int overlapPx, SpectrogramParams params) {
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("seconds must be positive, got " + seconds);
        }
        long samples = Math.round(seconds * params.sampleRate());
        long frames = 1 + samples / params.hopLength();
        if (samples > Integer.MAX_VALUE || frames > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(seconds + " s is too long");
        }
        return new ClipPlan((int) frames, widthPx, overlapPx);
    }

    /** Frames between the starts of consecutive clips. */
    public int stride() {
        return width - overlap;
    }

    /** How many clips cover the piece: 1, or {@code 1 + ceil((total - width) / stride)}. */
    public int clipCount() {
        if (totalFrames <= width) {
            return 1;
        }
        return 1 + (totalFrames - width + stride() - 1) / stride();
    }

    /** The first frame of clip {@code i} in the piece. */
    public int start(int i) {
        if (i < 0 || i >= clipCount()) {
            throw new IndexOutOfBoundsException(
                    "clip " + i + " of a " + clipCount() + "-clip plan");
        }
        return i * stride();
    }

    /** The first frames of all clips, ascending. */
    public int[] starts() {
        int[] s = new int[clipCount()];
        for (int i = 0; i < s.length; i++) {
            s[i] = start(i);
        }
        return s;
    }

    /** Frames of clip {@code i} that land in the piece (less than {@code width} for the last). */
    public int usedFrames(int i) {
        return Math.min(width, totalFrames - start(i));
    }

    /** Samples of the piece once inverted: {@code (totalFrames - 1) * hop}. */
    public long samples(SpectrogramParams params) {
        return (long) (totalFrames - 1) * params.hopLength();
    }
}
