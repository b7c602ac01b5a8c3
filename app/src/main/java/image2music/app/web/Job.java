package image2music.app.web;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import image2music.models.vit.LabelScore;
import image2music.pipeline.progress.Cancellation;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One request to the generator: the first stretch of a piece ({@code generate}) or the next one
 * ({@code continue}). Its state and progress change on the worker thread and are read by request
 * threads, so every accessor is synchronised; watchers (server-sent events) are told each change.
 */
public final class Job {

    private final String id;
    private final String kind;
    private final String parent;
    private final Piece piece;
    private final long seed;
    private final Double seconds;
    private final List<LabelScore> labels;
    private final String prompt;
    private final boolean newPrompt;
    private final Instant created = Instant.now();
    private final Cancellation cancellation = new Cancellation();
    private final List<Consumer<JsonObject>> watchers = new CopyOnWriteArrayList<>();

    private JobState state = JobState.QUEUED;
    private String error;
    private int clip;
    private int clips;
    private int step;
    private int steps;
    private Instant ended;
    private String next;
    private String cancelReason;
    private JsonObject result;
    private volatile long lastSeenNanos = System.nanoTime();

    /**
     * @param labels the moods asked for, with the tagger's probability where it gave them (NaN for
     *     moods a user chose)
     * @param newPrompt whether {@code prompt} is a change for the piece (a continuation with new
     *     moods)
     */
    Job(
            String id,
            String kind,
            String parent,
            Piece piece,
            long seed,
            Double seconds,
            List<LabelScore> labels,
            String prompt,
            boolean newPrompt) {
        this.id = id;
        this.kind = kind;
        this.parent = parent;
        this.piece = piece;
        this.seed = seed;
        this.seconds = seconds;
        this.labels = List.copyOf(labels);
        this.prompt = prompt;
        this.newPrompt = newPrompt;
    }

    public String id() {
        return id;
    }

    Piece piece() {
        return piece;
    }

    long seed() {
        return seed;
    }

    Instant created() {
        return created;
    }

    /** Whether someone watches its events now. */
    boolean watched() {
        return !watchers.isEmpty();
    }

    Double seconds() {
        return seconds;
    }

    String prompt() {
        return prompt;
    }

    /** The prompt the piece should move to, or null to keep its own. */
    String promptChange() {
        return newPrompt ? prompt : null;
    }

    List<LabelScore> labels() {
        return labels;
    }

    Cancellation cancellation() {
        return cancellation;
    }

    /** Asks the job to stop; {@code why} (null: asked by the client) is kept as its error. */
    synchronized void cancel(String why) {
        if (!state.ended() && !cancellation.isCancelled()) {
            cancelReason = why;
        }
        cancellation.cancel();
    }

    /** Why it was cancelled, or null when a client asked. */
    synchronized String cancelReason() {
        return cancelReason;
    }

    /** Someone asked about the job: it is not abandoned. */
    void seen() {
        lastSeenNanos = System.nanoTime();
    }

    long lastSeenNanos() {
        return lastSeenNanos;
    }

    public synchronized JobState state() {
        return state;
    }

    synchronized Instant ended() {
        return ended;
    }

    synchronized String next() {
        return next;
    }

    synchronized void next(String childId) {
        next = childId;
    }

    /** Moves to {@code s} unless the job has ended; false if it had. */
    boolean moveTo(JobState s, String message) {
        synchronized (this) {
            if (state.ended()) {
                return false;
            }
            state = s;
            error = message;
            if (s.ended()) {
                ended = Instant.now();
            }
        }
        changed();
        return true;
    }

    void started(int clipCount) {
        synchronized (this) {
            clips = clipCount;
        }
        changed();
    }

    void step(int clipIndex, int stepDone, int stepCount) {
        synchronized (this) {
            clip = clipIndex;
            step = stepDone;
            steps = stepCount;
        }
        changed();
    }

    void finished(JsonObject r) {
        synchronized (this) {
            result = r;
        }
        moveTo(JobState.DONE, null);
    }

    /** Tells {@code w} every change from now on, until it is removed. */
    void watch(Consumer<JsonObject> w) {
        watchers.add(w);
    }

    void unwatch(Consumer<JsonObject> w) {
        watchers.remove(w);
    }

    private void changed() {
        JsonObject now = toJson();
        for (Consumer<JsonObject> w : watchers) {
            w.accept(now);
        }
    }

    /** The job as the API shows it. */
    public synchronized JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("id", id);
        o.addProperty("kind", kind);
        o.addProperty("state", state.json());
        if (parent != null) {
            o.addProperty("parent", parent);
        }
        o.addProperty("piece", piece.id());
        o.addProperty("created", created.toString());
        o.addProperty("seed", seed);
        if (seconds != null) {
            o.addProperty("seconds", seconds);
        }
        o.addProperty("prompt", prompt);
        JsonArray a = new JsonArray();
        for (LabelScore l : labels) {
            JsonObject lo = new JsonObject();
            lo.addProperty("label", l.label());
            if (!Float.isNaN(l.probability())) {
                lo.addProperty("probability", l.probability());
            }
            a.add(lo);
        }
        o.add("labels", a);
        JsonObject p = new JsonObject();
        p.addProperty("clip", clip);
        p.addProperty("clips", clips);
        p.addProperty("step", step);
        p.addProperty("steps", steps);
        double fraction = clips == 0 || steps == 0 ? 0 : (clip + (double) step / steps) / clips;
        p.addProperty("fraction", state == JobState.DONE ? 1.0 : Math.min(1, fraction));
        o.add("progress", p);
        if (error != null) {
            o.addProperty("error", error);
        }
        if (next != null) {
            o.addProperty("next", next);
        }
        if (result != null) {
            o.add("result", result.deepCopy());
            String base = "/api/jobs/" + id + "/";
            JsonObject files = new JsonObject();
            for (String f : JobFiles.NAMES) {
                files.addProperty(f.substring(0, f.indexOf('.')), base + f);
            }
            o.add("files", files);
        }
        return o;
    }
}
