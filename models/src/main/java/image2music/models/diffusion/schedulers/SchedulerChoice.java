package image2music.models.diffusion.schedulers;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * A scheduler resolved once from a pipeline's {@code scheduler_config.json} and an optional
 * override: which class, with the file merged over its defaults. A generation resolves it before
 * its first clip and builds a fresh {@link Scheduler} from it for every denoising run (schedulers
 * keep per-run state), instead of reading the JSON and the name again each time.
 *
 * @param kind the scheduler class
 * @param config its configuration
 */
public record SchedulerChoice(Schedulers kind, SchedulerConfig config) {

    /**
     * The scheduler {@code file} names in {@code _class_name}, or {@code override} (a short or
     * class name; null keeps the file's) configured from the same file.
     *
     * @throws IllegalArgumentException if the name is unknown or the file names no class
     */
    public static SchedulerChoice of(JsonObject file, String override) {
        Schedulers kind;
        if (override != null) {
            kind = Schedulers.forName(override);
        } else {
            JsonElement cls = file.get("_class_name");
            if (cls == null || cls.isJsonNull()) {
                throw new IllegalArgumentException("scheduler config has no _class_name");
            }
            kind = Schedulers.forName(cls.getAsString());
        }
        return new SchedulerChoice(kind, kind.config(file));
    }

    /** diffusers' class name of the chosen scheduler. */
    public String className() {
        return kind.className();
    }

    /** A fresh scheduler for one denoising run. */
    public Scheduler create() {
        return kind.create(config);
    }
}
