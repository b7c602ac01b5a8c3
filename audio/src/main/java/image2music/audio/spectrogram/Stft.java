package image2music.audio.spectrogram;

import java.nio.FloatBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * The short-time Fourier transform Riffusion uses (torch.stft with center=True, reflect padding, a
 * periodic Hann window centred in the zero-padded frame), restricted to the bins the mel filterbank
 * reads.
 *
 * <p>Only the window's samples are non-zero in a frame, so only those are written. They are placed
 * circularly with the window centre at index 0 (the "time-invariant" phase convention): that only
 * changes every bin's phase by a fixed sign relative to torch, leaves magnitudes as they are, and
 * is the convention phase-gradient phase recovery assumes. Forward and inverse use the same
 * placement, so they are consistent. Frames are spread over all cores.
 */
final class Stft {

    /**
     * Receives the complex bins {@code (re, im)} of frame {@code t}; the array is reused for the
     * next frame, and the consumer may overwrite it.
     */
    @FunctionalInterface
    interface FrameConsumer {
        void accept(int t, float[] reIm);
    }

    final int nFft;
    final int winLength;
    final int hop;

    /** Bins kept, 0 .. bins - 1. */
    final int bins;

    private final float[] window;

    /** Offset of window sample 0 from the frame centre (negative: -2205 by default). */
    private final int offset;

    private final Fftw.RealFft fft;

    /**
     * Buffers only {@link #analyzeFrame} uses: it always writes the same window positions, so the
     * rest of their real array stays zero and need not be cleared per frame (clearing all n_fft
     * samples cost as much as the copy-in itself). Inverse transforms use the shared pool instead.
     */
    private final ConcurrentLinkedQueue<Fftw.Buffers> analysisBuffers =
            new ConcurrentLinkedQueue<>();

    Stft(SpectrogramParams p, int bins) {
        this(p.nFft(), p.winLength(), p.hopLength(), bins);
    }

    /** An STFT with the given sizes in samples, keeping bins 0 .. {@code bins} - 1. */
    Stft(int nFft, int winLength, int hop, int bins) {
        this.nFft = nFft;
        this.winLength = winLength;
        this.hop = hop;
        if (winLength < 1 || winLength > nFft || hop < 1) {
            throw new IllegalArgumentException(
                    "bad STFT sizes: n_fft " + nFft + ", window " + winLength + ", hop " + hop);
        }
        if (bins < 1 || bins > nFft / 2 + 1) {
            throw new IllegalArgumentException("bad bin count " + bins + " for n_fft " + nFft);
        }
        this.bins = bins;
        this.window = hannPeriodic(winLength);
        this.offset = (nFft - winLength) / 2 - nFft / 2;
        this.fft = Fftw.real(nFft);
    }

    /** torch.hann_window(n): periodic, 0.5 - 0.5 cos(2 pi j / n). */
    static float[] hannPeriodic(int n) {
        float[] w = new float[n];
        for (int j = 0; j < n; j++) {
            w[j] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * j / n));
        }
        return w;
    }

    /** Number of frames for a signal of {@code samples} samples (center=True). */
    int frames(int samples) {
        return 1 + samples / hop;
    }

    /**
     * Analyses frames [0, frames) of {@code x * scale} and hands each frame's bins to {@code sink},
     * in parallel: the sink must only touch state owned by frame {@code t}.
     */
    void analyze(float[] x, float scale, int frames, FrameConsumer sink) {
        analyzeChunked(x, scale, frames, () -> sink);
    }

    /**
     * {@link #analyze}, asking {@code sinkPerChunk} for one sink per chunk of frames: a sink that
     * needs scratch arrays owns them, with no per-frame lookup (a ThreadLocal per frame cost more
     * than the maths it served).
     */
    void analyzeChunked(float[] x, float scale, int frames, Supplier<FrameConsumer> sinkPerChunk) {
        Parallel.forRange(
                frames,
                8,
                (from, to) -> {
                    Fftw.Buffers b = analysisBuffers.poll();
                    if (b == null) {
                        b = fft.newBuffers();
                    }
                    float[] seg = new float[winLength];
                    float[] reIm = new float[2 * bins];
                    FrameConsumer sink = sinkPerChunk.get();
                    try {
                        for (int t = from; t < to; t++) {
                            analyzeFrame(b, x, scale, t, seg, reIm);
                            sink.accept(t, reIm);
                        }
                    } finally {
                        analysisBuffers.add(b);
                    }
                });
    }

    /**
     * One frame's bins into {@code reIm}; {@code seg} is scratch of window length; {@code b} must
     * be zero outside the window positions (a buffer only this method writes).
     */
    private void analyzeFrame(
            Fftw.Buffers b, float[] x, float scale, int t, float[] seg, float[] reIm) {
        int start = t * hop + offset;
        int n = x.length;
        if (start >= 0 && start + winLength <= n) {
            for (int j = 0; j < winLength; j++) {
                seg[j] = x[start + j] * scale * window[j];
            }
        } else {
            for (int j = 0; j < winLength; j++) {
                seg[j] = x[reflect(start + j, n)] * scale * window[j];
            }
        }
        putCircular(b.real, seg);
        fft.forward(b);
        b.complex.get(0, reIm, 0, 2 * bins);
    }

    /**
     * Synthesises one frame: inverse FFT of {@code reIm} (bins above {@link #bins} are zero),
     * normalised as irfft, multiplied by the window; {@code out} gets the window's samples.
     */
    void synthesizeFrame(Fftw.Buffers b, float[] reIm, float[] zeros, float[] out) {
        b.complex.put(0, reIm, 0, 2 * bins);
        b.complex.put(2 * bins, zeros, 0, 2 * (fft.bins - bins));
        fft.inverse(b);
        getCircular(b.real, out);
        float norm = 1f / nFft;
        for (int j = 0; j < winLength; j++) {
            out[j] *= window[j] * norm;
        }
    }

    /** Zeros sized for {@link #synthesizeFrame}. */
    float[] zeroTail() {
        return new float[2 * (fft.bins - bins)];
    }

    Fftw.RealFft fft() {
        return fft;
    }

    /**
     * {@code 1 / sum_t w^2} at each of {@code length} output samples covered by {@code frames}
     * frames (0 where no window reaches), the normalisation torch.istft applies.
     */
    float[] inverseEnvelope(int frames, int length) {
        float[] inv = new float[length];
        double[] env = new double[length];
        for (int t = 0; t < frames; t++) {
            int start = t * hop + offset;
            int j0 = Math.max(0, -start);
            int j1 = Math.min(winLength, length - start);
            for (int j = j0; j < j1; j++) {
                env[start + j] += (double) window[j] * window[j];
            }
        }
        for (int m = 0; m < length; m++) {
            inv[m] = env[m] > 1e-11 ? (float) (1 / env[m]) : 0f;
        }
        return inv;
    }

    /**
     * Overlap-adds windowed frames (as {@link #synthesizeFrame} makes them) into a signal of {@code
     * length} samples, scaled by {@code inverseEnvelope}: torch.istft with center=True.
     */
    float[] overlapAdd(float[][] frames, int length, float[] inverseEnvelope) {
        float[] y = new float[length];
        int count = frames.length;
        Parallel.forRange(
                length,
                4096,
                (from, to) -> {
                    int tFirst = Math.max(0, Math.floorDiv(from - offset - winLength + 1, hop));
                    int tLast = Math.min(count - 1, Math.floorDiv(to - 1 - offset, hop));
                    for (int t = tFirst; t <= tLast; t++) {
                        int start = t * hop + offset;
                        int j0 = Math.max(0, from - start);
                        int j1 = Math.min(winLength, to - start);
                        float[] f = frames[t];
                        for (int j = j0; j < j1; j++) {
                            y[start + j] += f[j];
                        }
                    }
                    for (int m = from; m < to; m++) {
                        y[m] *= inverseEnvelope[m];
                    }
                });
        return y;
    }

    /** Writes window samples circularly so that the window centre lands on index 0. */
    private void putCircular(FloatBuffer real, float[] seg) {
        int pos = Math.floorMod(offset, nFft);
        int first = Math.min(winLength, nFft - pos);
        real.put(pos, seg, 0, first);
        if (first < winLength) {
            real.put(0, seg, first, winLength - first);
        }
    }

    private void getCircular(FloatBuffer real, float[] out) {
        int pos = Math.floorMod(offset, nFft);
        int first = Math.min(winLength, nFft - pos);
        real.get(pos, out, 0, first);
        if (first < winLength) {
            real.get(0, out, first, winLength - first);
        }
    }

    /** numpy/torch "reflect" indexing (edge not repeated), repeated for very short signals. */
    static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int k = Math.floorMod(i, period);
        return k < n ? k : period - k;
    }
}
