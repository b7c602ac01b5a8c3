package image2music.audio.spectrogram;

import java.util.stream.IntStream;

/** Splits index ranges across all cores (the common fork-join pool plus the caller). */
final class Parallel {

    /** Chunks per core: enough to even out uneven chunks, few enough to keep overhead low. */
    private static final int CHUNKS_PER_CORE = 4;

    /** A body that handles the indices in [from, to). */
    @FunctionalInterface
    interface RangeBody {
        void run(int from, int to);
    }

    private Parallel() {}

    /** Runs {@code body} over [0, n) in contiguous chunks, in parallel when it pays. */
    static void forRange(int n, int minChunk, RangeBody body) {
        int cores = Runtime.getRuntime().availableProcessors();
        int chunks = Math.min(cores * CHUNKS_PER_CORE, Math.max(1, n / Math.max(1, minChunk)));
        if (chunks <= 1 || cores == 1) {
            body.run(0, n);
            return;
        }
        IntStream.range(0, chunks)
                .parallel()
                .forEach(
                        c ->
                                body.run(
                                        (int) ((long) c * n / chunks),
                                        (int) ((long) (c + 1) * n / chunks)));
    }
}
