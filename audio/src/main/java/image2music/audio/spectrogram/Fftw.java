package image2music.audio.spectrogram;

import static org.bytedeco.fftw.global.fftw3.FFTW_DESTROY_INPUT;
import static org.bytedeco.fftw.global.fftw3.FFTW_MEASURE;
import static org.bytedeco.fftw.global.fftw3.FFTW_PRESERVE_INPUT;
import static org.bytedeco.fftw.global.fftw3.fftwf_execute_dft_c2r;
import static org.bytedeco.fftw.global.fftw3.fftwf_execute_dft_r2c;
import static org.bytedeco.fftw.global.fftw3.fftwf_export_wisdom_to_filename;
import static org.bytedeco.fftw.global.fftw3.fftwf_import_wisdom_from_filename;
import static org.bytedeco.fftw.global.fftw3.fftwf_malloc;
import static org.bytedeco.fftw.global.fftw3.fftwf_plan_dft_c2r_1d;
import static org.bytedeco.fftw.global.fftw3.fftwf_plan_dft_r2c_1d;

import image2music.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.bytedeco.fftw.global.fftw3;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single-precision real FFTs through FFTW (JavaCPP).
 *
 * <p>One forward (r2c) and one inverse (c2r) plan per size, made once with FFTW_MEASURE. FFTW's
 * planner is not thread-safe, so planning and wisdom I/O hold one global lock; executing a plan on
 * other (equally aligned) arrays through the new-array API is thread-safe, so work buffers come
 * from {@code fftwf_malloc} and are pooled per size. Wisdom is kept in {@code
 * $XDG_CACHE_HOME/image2music/fftw-wisdom} (default {@code ~/.cache}) so that later runs plan at
 * once; a missing or unwritable cache only costs time.
 */
final class Fftw {

    private static final Logger LOG = LoggerFactory.getLogger(Fftw.class);
    private static final Object PLANNER_LOCK = new Object();
    private static final Map<Integer, RealFft> PLANS = new ConcurrentHashMap<>();
    private static boolean wisdomLoaded;

    private Fftw() {}

    /** The shared transform pair for length {@code n}, planned on first use. */
    static RealFft real(int n) {
        RealFft f = PLANS.get(n);
        if (f != null) {
            return f;
        }
        synchronized (PLANNER_LOCK) {
            f = PLANS.get(n);
            if (f == null) {
                f = plan(n);
                PLANS.put(n, f);
            }
            return f;
        }
    }

    /** Where FFTW wisdom is cached. */
    static Path wisdomFile() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base =
                xdg != null && !xdg.isBlank()
                        ? Path.of(xdg)
                        : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("image2music").resolve("fftw-wisdom");
    }

    private static RealFft plan(int n) {
        Loader.load(fftw3.class);
        Path wisdom = wisdomFile();
        if (!wisdomLoaded) {
            wisdomLoaded = true;
            if (Files.isRegularFile(wisdom)
                    && fftwf_import_wisdom_from_filename(wisdom.toString()) == 0) {
                LOG.warn("ignoring unreadable FFTW wisdom {}", wisdom);
            }
        }
        long start = System.nanoTime();
        Buffers scratch = new Buffers(n);
        fftw3.fftwf_plan r2c =
                fftwf_plan_dft_r2c_1d(
                        n, scratch.realPtr, scratch.complexPtr, FFTW_MEASURE | FFTW_PRESERVE_INPUT);
        fftw3.fftwf_plan c2r =
                fftwf_plan_dft_c2r_1d(
                        n, scratch.complexPtr, scratch.realPtr, FFTW_MEASURE | FFTW_DESTROY_INPUT);
        if (r2c == null || r2c.isNull() || c2r == null || c2r.isNull()) {
            throw new IllegalStateException("FFTW could not plan a real FFT of length " + n);
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (ms > 200) {
            // Planning took real work, so the wisdom grew: keep it for the next run.
            saveWisdom(wisdom);
        }
        LOG.info("planned FFT of length {} in {} ms", n, ms);
        RealFft fft = new RealFft(n, r2c, c2r);
        fft.release(scratch);
        return fft;
    }

    private static void saveWisdom(Path wisdom) {
        try {
            Files.createDirectories(wisdom.getParent());
            Path tmp = Files.createTempFile(wisdom.getParent(), ".fftw-wisdom.", ".part");
            try {
                if (fftwf_export_wisdom_to_filename(tmp.toString()) == 0) {
                    throw new IOException("FFTW could not write " + tmp);
                }
                AtomicFiles.move(tmp, wisdom);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not save FFTW wisdom to {}: {}", wisdom, e.toString());
        }
    }

    /** A forward/inverse plan pair for one length, with a pool of work buffers. */
    static final class RealFft {
        final int n;

        /** Number of complex output bins, n / 2 + 1. */
        final int bins;

        private final fftw3.fftwf_plan r2c;
        private final fftw3.fftwf_plan c2r;
        private final ConcurrentLinkedQueue<Buffers> pool = new ConcurrentLinkedQueue<>();

        private RealFft(int n, fftw3.fftwf_plan r2c, fftw3.fftwf_plan c2r) {
            this.n = n;
            this.bins = n / 2 + 1;
            this.r2c = r2c;
            this.c2r = c2r;
        }

        /** A zeroed-at-creation buffer pair; give it back with {@link #release}. */
        Buffers acquire() {
            Buffers b = pool.poll();
            return b != null ? b : new Buffers(n);
        }

        void release(Buffers b) {
            pool.add(b);
        }

        /**
         * A fresh zeroed buffer pair that stays outside the pool, for callers that keep their own.
         */
        Buffers newBuffers() {
            return new Buffers(n);
        }

        /** {@code complex = FFT(real)}, unnormalised; the real buffer is left as it was. */
        void forward(Buffers b) {
            fftwf_execute_dft_r2c(r2c, b.realPtr, b.complexPtr);
        }

        /** {@code real = n * IFFT(complex)} (unnormalised); the complex buffer is destroyed. */
        void inverse(Buffers b) {
            fftwf_execute_dft_c2r(c2r, b.complexPtr, b.realPtr);
        }
    }

    /**
     * Aligned native buffers: {@code real} holds n floats, {@code complex} n / 2 + 1 interleaved
     * (re, im) pairs. Never freed while pooled: the pool lives as long as the plans.
     */
    static final class Buffers {
        final FloatBuffer real;
        final FloatBuffer complex;

        private final FloatPointer realPtr;
        private final FloatPointer complexPtr;

        private Buffers(int n) {
            long complexFloats = 2L * (n / 2 + 1);
            realPtr = new FloatPointer(fftwf_malloc(4L * n)).capacity(n);
            complexPtr = new FloatPointer(fftwf_malloc(4L * complexFloats)).capacity(complexFloats);
            if (realPtr.isNull() || complexPtr.isNull()) {
                throw new OutOfMemoryError("fftwf_malloc failed for FFT length " + n);
            }
            real = realPtr.asBuffer();
            complex = complexPtr.asBuffer();
            real.put(0, new float[n]);
            complex.put(0, new float[(int) complexFloats]);
        }
    }
}
