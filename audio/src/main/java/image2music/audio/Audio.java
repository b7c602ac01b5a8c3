package image2music.audio;

import java.util.Arrays;

/**
 * Decoded PCM audio: one array of samples per channel, in [-1, 1] (full scale = 1.0).
 *
 * <p>The arrays are owned by the record; callers that need to mutate them take a {@link #copy()}.
 */
public record Audio(float[][] channels, int sampleRate) {

    public Audio {
        if (channels.length == 0) {
            throw new IllegalArgumentException("audio needs at least one channel");
        }
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
        }
        for (float[] c : channels) {
            if (c.length != channels[0].length) {
                throw new IllegalArgumentException("channels differ in length");
            }
        }
    }

    /** Mono audio from one channel of samples. */
    public static Audio mono(float[] samples, int sampleRate) {
        return new Audio(new float[][] {samples}, sampleRate);
    }

    public int channelCount() {
        return channels.length;
    }

    /** Number of samples per channel. */
    public int frames() {
        return channels[0].length;
    }

    public double durationSeconds() {
        return frames() / (double) sampleRate;
    }

    public float[] channel(int i) {
        return channels[i];
    }

    /** Averages the channels (Riffusion's stereo-to-mono rule); returns this if already mono. */
    public Audio toMono() {
        if (channels.length == 1) {
            return this;
        }
        float[] out = new float[frames()];
        float scale = 1f / channels.length;
        for (float[] c : channels) {
            for (int i = 0; i < out.length; i++) {
                out[i] += c[i] * scale;
            }
        }
        return mono(out, sampleRate);
    }

    /**
     * {@code parts} back to back: one rate and channel count for all.
     *
     * @throws IllegalArgumentException if there is no part or they differ in rate or channels
     */
    public static Audio concat(java.util.List<Audio> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to join");
        }
        Audio first = parts.get(0);
        long total = 0;
        for (Audio a : parts) {
            if (a.sampleRate != first.sampleRate || a.channelCount() != first.channelCount()) {
                throw new IllegalArgumentException(
                        "cannot join audio of different rates or channel counts");
            }
            total += a.frames();
        }
        float[][] out = new float[first.channelCount()][Math.toIntExact(total)];
        int at = 0;
        for (Audio a : parts) {
            for (int c = 0; c < out.length; c++) {
                System.arraycopy(a.channels[c], 0, out[c], at, a.frames());
            }
            at += a.frames();
        }
        return new Audio(out, first.sampleRate);
    }

    /** The samples in [start, start + length), zero-padded past the end. */
    public Audio slice(int start, int length) {
        if (start < 0 || length < 0) {
            throw new IllegalArgumentException("bad slice " + start + "+" + length);
        }
        float[][] out = new float[channels.length][];
        for (int c = 0; c < channels.length; c++) {
            float[] dst = new float[length];
            int n = Math.max(0, Math.min(length, channels[c].length - start));
            if (n > 0) {
                System.arraycopy(channels[c], start, dst, 0, n);
            }
            out[c] = dst;
        }
        return new Audio(out, sampleRate);
    }

    /** RMS level over all channels in dB relative to full scale; -infinity for digital silence. */
    public double rmsDbfs() {
        double sum = 0;
        long n = 0;
        for (float[] c : channels) {
            for (float v : c) {
                sum += (double) v * v;
            }
            n += c.length;
        }
        return n == 0 ? Double.NEGATIVE_INFINITY : 10 * Math.log10(sum / n);
    }

    /** Largest absolute sample value over all channels. */
    public float peak() {
        float p = 0;
        for (float[] c : channels) {
            for (float v : c) {
                p = Math.max(p, Math.abs(v));
            }
        }
        return p;
    }

    public Audio copy() {
        float[][] out = new float[channels.length][];
        for (int c = 0; c < channels.length; c++) {
            out[c] = Arrays.copyOf(channels[c], channels[c].length);
        }
        return new Audio(out, sampleRate);
    }
}
