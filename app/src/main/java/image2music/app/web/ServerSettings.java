package image2music.app.web;

import image2music.models.diffusion.pipeline.GenerationRequest;
import image2music.pipeline.live.EndlessPiece;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How {@code serve} runs: where it listens, its limits, and how it samples. The defaults live in
 * {@link #defaults(Path)}.
 *
 * @param host the interface to bind (loopback unless told)
 * @param port the TCP port (0: any free one)
 * @param work where job files go; the server deletes only the job folders it made there
 * @param maxUploadBytes the largest request body accepted
 * @param maxPixels the largest picture accepted, by its header, before decoding
 * @param queueCapacity jobs waiting at most; more are refused with 429
 * @param generators generations run at once (each loads its own copy of the models)
 * @param jobTtl how long a finished job and its files are kept
 * @param abandonAfter a queued or running job nobody asked about for this long is cancelled
 * @param maxSeconds the longest stretch one job makes
 * @param steps denoising steps per clip
 * @param guidance classifier-free guidance scale
 * @param width clip width in pixels (512: 5.11 s)
 * @param morphClips clips over which changed moods take over a playing piece
 */
public record ServerSettings(
        String host,
        int port,
        Path work,
        long maxUploadBytes,
        long maxPixels,
        int queueCapacity,
        int generators,
        Duration jobTtl,
        Duration abandonAfter,
        double maxSeconds,
        int steps,
        double guidance,
        int width,
        int morphClips) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 20L << 20;
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;
    public static final int DEFAULT_QUEUE = 8;
    public static final int DEFAULT_STEPS = 25;

    /**
     * @throws IllegalArgumentException naming the setting that is out of range
     */
    public ServerSettings {
        require(port >= 0 && port <= 65535, "--port must be in [0, 65535], got " + port);
        require(maxUploadBytes > 0, "--max-upload must be > 0");
        require(maxPixels > 0, "the pixel limit must be > 0");
        require(queueCapacity >= 1, "--queue must be >= 1, got " + queueCapacity);
        require(generators >= 1, "--generators must be >= 1, got " + generators);
        require(
                maxSeconds > 0 && maxSeconds <= 3600,
                "--max-seconds must be in (0, 3600], got " + maxSeconds);
        require(steps >= 1 && steps <= 1000, "--steps must be in [1, 1000], got " + steps);
        require(
                guidance >= 0 && guidance <= 100,
                "--guidance must be in [0, 100], got " + guidance);
        require(width >= 8 && width % 8 == 0, "--width must be a multiple of 8, got " + width);
        require(morphClips >= 1, "morph clips must be >= 1, got " + morphClips);
        require(
                jobTtl.compareTo(Duration.ofSeconds(1)) >= 0,
                "--keep-minutes: finished jobs must be kept for at least a second");
        require(
                abandonAfter.compareTo(Duration.ofMillis(100)) >= 0,
                "the abandon time must be at least 0.1 s");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Loopback on 8080, job files under {@code work}, the limits and sampling of a small box. */
    public static ServerSettings defaults(Path work) {
        return new ServerSettings(
                DEFAULT_HOST,
                DEFAULT_PORT,
                work,
                DEFAULT_MAX_UPLOAD_BYTES,
                DEFAULT_MAX_PIXELS,
                DEFAULT_QUEUE,
                1,
                Duration.ofHours(1),
                Duration.ofMinutes(2),
                60,
                DEFAULT_STEPS,
                GenerationRequest.DEFAULT_GUIDANCE,
                GenerationRequest.DEFAULT_SIZE,
                EndlessPiece.DEFAULT_MORPH_CLIPS);
    }

    public ServerSettings withWork(Path w) {
        return new ServerSettings(
                host,
                port,
                w,
                maxUploadBytes,
                maxPixels,
                queueCapacity,
                generators,
                jobTtl,
                abandonAfter,
                maxSeconds,
                steps,
                guidance,
                width,
                morphClips);
    }

    public ServerSettings withListen(String h, int p) {
        return new ServerSettings(
                h,
                p,
                work,
                maxUploadBytes,
                maxPixels,
                queueCapacity,
                generators,
                jobTtl,
                abandonAfter,
                maxSeconds,
                steps,
                guidance,
                width,
                morphClips);
    }

    public ServerSettings withLimits(long uploadBytes, long pixels, int queue, int gens) {
        return new ServerSettings(
                host,
                port,
                work,
                uploadBytes,
                pixels,
                queue,
                gens,
                jobTtl,
                abandonAfter,
                maxSeconds,
                steps,
                guidance,
                width,
                morphClips);
    }

    public ServerSettings withTimes(Duration ttl, Duration abandon) {
        return new ServerSettings(
                host,
                port,
                work,
                maxUploadBytes,
                maxPixels,
                queueCapacity,
                generators,
                ttl,
                abandon,
                maxSeconds,
                steps,
                guidance,
                width,
                morphClips);
    }

    public ServerSettings withSampling(int s, double g, int w, double longest) {
        return new ServerSettings(
                host,
                port,
                work,
                maxUploadBytes,
                maxPixels,
                queueCapacity,
                generators,
                jobTtl,
                abandonAfter,
                longest,
                s,
                g,
                w,
                morphClips);
    }
}
