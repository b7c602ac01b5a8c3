package image2music.models.nn;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/**
 * The one place where DJL's PyTorch engine is set up: offline (libtorch comes from the native jar
 * on the class path and is never downloaded), CPU thread counts, DJL's start-up logging quietened,
 * and the device (a GPU when DJL finds one).
 *
 * <p>Settings take effect only before the engine first loads, so {@link #configure} must run before
 * any other DJL call; later calls with different settings are refused.
 */
public final class Engines {

    /** The engine settings; {@code threads} 0 keeps libtorch's default (the core count). */
    public record Settings(int threads, boolean verbose, boolean useGpu) {
        public Settings {
            if (threads < 0) {
                throw new IllegalArgumentException("threads must be >= 0, got " + threads);
            }
        }

        /** Default settings: all cores, quiet, GPU if there is one. */
        public static Settings defaults() {
            return new Settings(0, false, true);
        }
    }

    private static Settings settings;
    private static Engine engine;

    private Engines() {}

    /** Sets the engine up with {@code s}; idempotent for equal settings. */
    public static synchronized Engine configure(Settings s) {
        if (engine != null) {
            if (!s.equals(settings)) {
                throw new IllegalStateException(
                        "The DJL engine is already running with "
                                + settings
                                + "; cannot apply "
                                + s);
            }
            return engine;
        }
        System.setProperty("ai.djl.offline", "true");
        if (s.threads() > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(s.threads()));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        if (!s.verbose()) {
            // DJL logs its engine discovery, thread counts and a CUDA probe warning on CPU-only
            // machines; none of it is useful to a user. slf4j-simple reads these at logger
            // creation.
            setIfAbsent("org.slf4j.simpleLogger.log.ai.djl", "error");
        }
        Engine e = Engine.getEngine("PyTorch");
        settings = s;
        engine = e;
        return e;
    }

    /** The engine, configured with {@link Settings#defaults()} when nobody configured it yet. */
    public static synchronized Engine engine() {
        return engine != null ? engine : configure(Settings.defaults());
    }

    /** The device models should run on: the first GPU when one is found and allowed, else CPU. */
    public static Device device() {
        Engine e = engine();
        return settings.useGpu() && e.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    }

    /** A new root manager on {@link #device()}. */
    public static NDManager newManager() {
        return engine().newBaseManager(device());
    }

    /**
     * Turns off autograd recording in the calling thread. libtorch's grad mode is per thread and on
     * by default; DJL turns it off only in the thread that starts the engine, so a model run from
     * any other thread (a server's worker, a pool) records a graph of every op and keeps all its
     * intermediate tensors alive: gigabytes per generation. Inference from other threads calls this
     * first; training turns it on where it needs it (a gradient collector).
     */
    public static void inferenceOnly() {
        engine();
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
    }

    /** libtorch's intra-op thread count as it is now (for benchmark reports). */
    public static int intraOpThreads() {
        engine();
        return ai.djl.pytorch.jni.JniUtils.getNumThreads();
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
