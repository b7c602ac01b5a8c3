package image2music.audio.io;

import image2music.audio.Audio;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Band-limited sample-rate conversion between any two integer rates: a rational L/M polyphase
 * windowed-sinc filter (Kaiser window, {@value PolyphaseFilter#STOPBAND_DB} dB stop band, cutoff
 * just below the lower Nyquist frequency). The kernel is centred on each output instant, so there
 * is no delay: output sample j lies at input time {@code j·M/L}, and the output has {@code
 * round(N·L/M)} samples. Samples outside the input count as zero. Channels and blocks of output run
 * in parallel.
 */
public final class Resampler {

    /** Output samples per parallel task. */
    private static final int BLOCK = 1 << 15;

    private Resampler() {}

    /**
     * The highest frequency, in Hz, that a conversion between {@code rateA} and {@code rateB}
     * (either way) passes at full gain: above it the transition band begins, and nothing at or
     * above the lower Nyquist frequency survives.
     */
    public static double passBandEdgeHz(int rateA, int rateB) {
        return (1 - PolyphaseFilter.TRANSITION) * Math.min(rateA, rateB) / 2.0;
    }

    /** Returns {@code audio} at {@code rate}; the same object if the rate already matches. */
    public static Audio resample(Audio audio, int rate) {
        if (rate <= 0) {
            throw new IllegalArgumentException("target sample rate must be positive, got " + rate);
        }
        int in = audio.sampleRate();
        if (in == rate) {
            return audio;
        }
        int g = gcd(in, rate);
        int up = rate / g;
        int down = in / g;
        PolyphaseFilter filter = new PolyphaseFilter(in, rate, up);
        long n = audio.frames();
        long outLength = (n * up + down / 2) / down;
        if (outLength > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "resampled audio too long: " + outLength + " samples");
        }
        int channels = audio.channelCount();
        float[][] padded = new float[channels][];
        float[][] out = new float[channels][(int) outLength];
        List<int[]> tasks = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            padded[c] = pad(audio.channel(c), filter.taps);
            for (int start = 0; start < outLength; start += BLOCK) {
                tasks.add(new int[] {c, start, (int) Math.min(outLength, start + (long) BLOCK)});
            }
        }
        IntStream.range(0, tasks.size())
                .parallel()
                .forEach(
                        t -> {
                            int[] task = tasks.get(t);
                            int c = task[0];
                            run(filter, up, down, padded[c], out[c], task[1], task[2]);
                        });
        return new Audio(out, rate);
    }

    /** The input with {@code margin} zeros on both sides, so the inner loop needs no checks. */
    private static float[] pad(float[] x, int margin) {
        float[] p = new float[x.length + 2 * margin + 1];
        System.arraycopy(x, 0, p, margin, x.length);
        return p;
    }

    private static void run(
            PolyphaseFilter f, int up, int down, float[] x, float[] out, int from, int to) {
        int taps = f.taps;
        float[] h = f.table;
        // Index in the padded input of the first tap for an output at input time q.
        int offset = taps - f.before;
        float[] row = f.exact ? null : new float[taps];
        for (int j = from; j < to; j++) {
            long pos = (long) j * down;
            int q = (int) (pos / up);
            int r = (int) (pos - (long) q * up);
            int base = q + offset;
            if (f.exact) {
                out[j] = dot(h, r * taps, x, base, taps);
            } else {
                // Blend the two nearest tabulated phases into one row, then take one product.
                double phase = r * (double) f.phases / up;
                int p = (int) phase;
                float a = (float) (phase - p);
                int lo = p * taps;
                int hi = lo + taps;
                for (int i = 0; i < taps; i++) {
                    row[i] = h[lo + i] + a * (h[hi + i] - h[lo + i]);
                }
                out[j] = dot(row, 0, x, base, taps);
            }
        }
    }

    /**
     * A plain single-sum loop: C2 vectorises its multiplies, which measured faster here than
     * hand-unrolled independent sums.
     */
    private static float dot(float[] h, int hOff, float[] x, int xOff, int n) {
        float s = 0;
        for (int i = 0; i < n; i++) {
            s += h[hOff + i] * x[xOff + i];
        }
        return s;
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
