package image2music.app.web;

import com.google.gson.JsonObject;
import image2music.core.io.ErrorText;
import image2music.core.io.FileTrees;
import image2music.models.vit.LabelScore;
import image2music.pipeline.InvalidRequestException;
import image2music.pipeline.live.EndlessPiece;
import image2music.pipeline.live.LiveGenerator;
import image2music.pipeline.live.PieceResult;
import image2music.pipeline.progress.CancelledException;
import image2music.pipeline.progress.ProgressEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's jobs: a bounded queue in front of as many workers as there are loaded generators,
 * the pieces they continue, and a sweeper that cancels jobs nobody asks about any more and deletes
 * the files of expired ones. Only folders this instance made under {@code work/jobs} are ever
 * deleted.
 */
public final class Jobs implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);

    /** Job ids are random (not guessable from another's) and safe as folder names. */
    private static final SecureRandom IDS = new SecureRandom();

    private final ServerSettings settings;
    private final List<LiveGenerator> generators;
    private final BlockingQueue<LiveGenerator> idle;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService sweeper;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final Map<String, Runnable> queued = new ConcurrentHashMap<>();
    private final Path jobDirs;

    /**
     * @param generators the loaded models, one per concurrent generation; closed with this
     * @throws IOException if the work folder cannot be made
     */
    public Jobs(ServerSettings settings, List<LiveGenerator> generators) throws IOException {
        this.settings = settings;
        this.generators = List.copyOf(generators);
        this.idle = new ArrayBlockingQueue<>(generators.size(), false, generators);
        this.jobDirs = Files.createDirectories(settings.work().resolve("jobs"));
        this.workers =
                new ThreadPoolExecutor(
                        generators.size(),
                        generators.size(),
                        0,
                        TimeUnit.SECONDS,
                        new ArrayBlockingQueue<>(settings.queueCapacity()),
                        r -> daemon(r, "generator"));
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "job-sweeper"));
        long every = Math.max(50, Math.min(5000, settings.abandonAfter().toMillis() / 4));
        sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, "image2music-" + name);
        t.setDaemon(true);
        return t;
    }

    /** The models tagging pictures (any instance: tagging has its own lock). */
    public LiveGenerator models() {
        return generators.get(0);
    }

    /**
     * Queues the first stretch of a new piece.
     *
     * @param seconds its length, or null for one clip
     * @throws ApiException 400 for a value out of range, 429 when the queue is full
     */
    public Job generate(List<LabelScore> labels, String prompt, Long seed, Double seconds) {
        checkSeconds(seconds);
        long s = seed != null ? seed : IDS.nextInt(Integer.MAX_VALUE);
        EndlessPiece music;
        try {
            music =
                    models().startPiece(
                                    prompt,
                                    s,
                                    settings.steps(),
                                    settings.guidance(),
                                    settings.width(),
                                    null,
                                    settings.morphClips());
        } catch (InvalidRequestException e) {
            throw new ApiException(400, e.getMessage());
        }
        Piece piece = new Piece(newId(), music);
        piece.reserve(null);
        Job job = new Job(newId(), "generate", null, piece, s, seconds, labels, prompt, false);
        try {
            return enqueue(job);
        } catch (RuntimeException e) {
            piece.close();
            throw e;
        }
    }

    /**
     * Queues the next stretch of the piece whose latest stretch {@code id} made, moving to {@code
     * prompt} when it is not null.
     *
     * @throws ApiException 404 for an unknown job, 409 if {@code id} is not the piece's latest
     *     finished stretch or the piece is busy or ended, 429 when the queue is full
     */
    public Job continueAfter(String id, List<LabelScore> labels, String prompt, Double seconds) {
        checkSeconds(seconds);
        Job parent = get(id);
        if (parent.state() != JobState.DONE) {
            throw new ApiException(
                    409, "job " + id + " is " + parent.state().json() + ", not done");
        }
        Piece piece = parent.piece();
        piece.reserve(id);
        String p = prompt != null ? prompt : parent.prompt();
        List<LabelScore> l = prompt != null ? labels : parent.labels();
        boolean change = prompt != null && !prompt.equals(parent.prompt());
        Job job = new Job(newId(), "continue", id, piece, parent.seed(), seconds, l, p, change);
        try {
            enqueue(job);
        } catch (RuntimeException e) {
            piece.abandoned(false, "");
            throw e;
        }
        parent.next(job.id());
        return job;
    }

    private void checkSeconds(Double seconds) {
        if (seconds != null && !(seconds > 0 && seconds <= settings.maxSeconds())) {
            throw new ApiException(
                    400, "seconds must be in (0, " + settings.maxSeconds() + "], got " + seconds);
        }
    }

    private Job enqueue(Job job) {
        Runnable run = () -> run(job);
        jobs.put(job.id(), job);
        queued.put(job.id(), run);
        try {
            workers.execute(run);
        } catch (RejectedExecutionException e) {
            jobs.remove(job.id());
            queued.remove(job.id());
            throw new ApiException(
                    429,
                    "the queue is full ("
                            + settings.queueCapacity()
                            + " jobs waiting); try again later",
                    retryAfter());
        }
        return job;
    }

    /** A guess at when a queue slot frees: a clip's time at a second per step. */
    private int retryAfter() {
        return Math.max(1, Math.min(600, settings.steps()));
    }

    private void run(Job job) {
        queued.remove(job.id());
        Piece piece = job.piece();
        if (job.cancellation().isCancelled() || !job.moveTo(JobState.RUNNING, null)) {
            // Cancelled while it waited: it may not have been told yet.
            piece.abandoned(false, "job " + job.id() + " was cancelled");
            job.moveTo(JobState.CANCELLED, job.cancelReason());
            return;
        }
        LiveGenerator models = idle.poll();
        int before = piece.music().clips();
        try {
            Path dir = Files.createDirectory(jobDirs.resolve(job.id()));
            PieceResult r =
                    models.play(
                            piece.music(),
                            job.promptChange(),
                            job.seconds(),
                            e -> report(job, e),
                            job.cancellation());
            JsonObject result = describe(job, r);
            JobFiles.write(dir, r, models.params(), result);
            piece.done(job.id());
            job.finished(result);
        } catch (CancelledException e) {
            piece.abandoned(piece.music().clips() != before, "job " + job.id() + " was cancelled");
            job.moveTo(JobState.CANCELLED, job.cancelReason());
        } catch (IOException | RuntimeException e) {
            String why = e instanceof InvalidRequestException ? e.getMessage() : ErrorText.of(e);
            LOG.warn("job {} failed: {}", job.id(), why);
            LOG.debug("stack trace", e);
            piece.abandoned(piece.music().clips() != before, "job " + job.id() + " failed");
            job.moveTo(JobState.FAILED, why);
        } finally {
            idle.add(models);
        }
    }

    private static void report(Job job, ProgressEvent e) {
        if (e instanceof ProgressEvent.Started s) {
            job.started(s.clips());
        } else if (e instanceof ProgressEvent.Step s) {
            job.step(s.clip(), s.step(), s.steps());
        }
    }

    private static JsonObject describe(Job job, PieceResult r) {
        JsonObject o = new JsonObject();
        o.addProperty("prompt", job.prompt());
        o.addProperty("first_clip", r.clips().get(0).index());
        o.addProperty("clips", r.clips().size());
        o.addProperty("morph", r.clips().get(r.clips().size() - 1).morph());
        o.addProperty("audio_seconds", r.audio().durationSeconds());
        o.addProperty("stream_seconds", r.stream().durationSeconds());
        o.addProperty("sample_rate", r.audio().sampleRate());
        o.addProperty("spectrogram_width", r.image().getWidth());
        o.addProperty("spectrogram_height", r.image().getHeight());
        return o;
    }

    /**
     * The job {@code id}; asking marks it as still wanted.
     *
     * @throws ApiException 404 if there is none (or it expired)
     */
    public Job get(String id) {
        Job job = id == null ? null : jobs.get(id);
        if (job == null) {
            throw new ApiException(404, "no job " + id);
        }
        job.seen();
        return job;
    }

    /** The jobs, newest first. */
    public List<Job> recent() {
        List<Job> all = new ArrayList<>(jobs.values());
        all.sort(Comparator.comparing(Job::created).reversed());
        return all;
    }

    /** Jobs waiting for a generator. */
    public int waiting() {
        return workers.getQueue().size();
    }

    /** Jobs generating now. */
    public int running() {
        return workers.getActiveCount();
    }

    /**
     * Cancels the job if it has not ended (a queued one leaves the queue at once, a running one
     * stops at its next denoising step) and deletes its files.
     *
     * @return the job's state after the call
     * @throws ApiException 404 for an unknown job
     */
    public JobState delete(String id) {
        Job job = get(id);
        cancel(job, null);
        if (job.state().ended()) {
            forget(job);
        }
        return job.state();
    }

    private void cancel(Job job, String why) {
        job.cancel(why);
        Runnable waiting = queued.remove(job.id());
        if (waiting != null && workers.remove(waiting)) {
            job.piece().abandoned(false, "job " + job.id() + " was cancelled");
        }
        if (waiting != null) {
            job.moveTo(JobState.CANCELLED, why);
        }
    }

    private void forget(Job job) {
        jobs.remove(job.id());
        Path dir = jobDirs.resolve(job.id());
        try {
            if (Files.isDirectory(dir)) {
                FileTrees.delete(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Piece piece = job.piece();
        boolean inUse = false;
        for (Job other : jobs.values()) {
            inUse |= other.piece() == piece;
        }
        if (!inUse && !piece.busy()) {
            piece.close();
        }
    }

    /** Cancels abandoned jobs and forgets expired ones; runs every few seconds. */
    private void sweep() {
        try {
            long now = System.nanoTime();
            Instant expired = Instant.now().minus(settings.jobTtl());
            for (Job job : List.copyOf(jobs.values())) {
                if (!job.state().ended()) {
                    long idleNanos = now - job.lastSeenNanos();
                    if (!job.watched() && idleNanos > settings.abandonAfter().toNanos()) {
                        cancel(
                                job,
                                "abandoned: nobody asked about it for "
                                        + seconds(settings.abandonAfter())
                                        + " s");
                    }
                } else if (job.ended().isBefore(expired)) {
                    forget(job);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("job sweep failed: {}", ErrorText.of(e));
            LOG.debug("stack trace", e);
        }
    }

    private static long seconds(Duration d) {
        return Math.max(1, d.toSeconds());
    }

    private static String newId() {
        byte[] b = new byte[8];
        IDS.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The folder of job {@code id}'s files. */
    Path dir(Job job) {
        return jobDirs.resolve(job.id());
    }

    /** Stops the workers (running jobs are cancelled), frees every piece and model. */
    @Override
    public void close() {
        sweeper.shutdownNow();
        for (Job job : jobs.values()) {
            job.cancellation().cancel();
        }
        workers.shutdownNow();
        try {
            workers.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Job job : List.copyOf(jobs.values())) {
            if (!job.piece().busy()) {
                job.piece().close();
            }
        }
        for (LiveGenerator g : generators) {
            g.close();
        }
    }
}
