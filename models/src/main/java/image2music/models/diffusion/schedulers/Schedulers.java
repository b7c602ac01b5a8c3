package image2music.models.diffusion.schedulers;

import com.google.gson.JsonObject;
import image2music.models.nn.HfConfigs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The schedulers we implement, by diffusers class name ({@code _class_name} in {@code
 * scheduler_config.json}) and by the short names the {@code --scheduler} option takes.
 */
public enum Schedulers {
    DDPM("DDPMScheduler", List.of("ddpm"), DDPMScheduler::defaults, DDPMScheduler::new),
    DDIM("DDIMScheduler", List.of("ddim"), DDIMScheduler::defaults, DDIMScheduler::new),
    PNDM("PNDMScheduler", List.of("pndm", "plms"), PNDMScheduler::defaults, PNDMScheduler::new),
    EULER(
            "EulerDiscreteScheduler",
            List.of("euler"),
            EulerDiscreteScheduler::defaults,
            EulerDiscreteScheduler::new),
    EULER_ANCESTRAL(
            "EulerAncestralDiscreteScheduler",
            List.of("euler-a", "euler_a", "euler-ancestral"),
            EulerAncestralDiscreteScheduler::defaults,
            EulerAncestralDiscreteScheduler::new),
    DPM_SOLVER_MULTISTEP(
            "DPMSolverMultistepScheduler",
            List.of("dpm++", "dpm++2m", "dpmpp", "dpm-solver++", "dpmsolver++"),
            DPMSolverMultistepScheduler::defaults,
            DPMSolverMultistepScheduler::new);

    private final String className;
    private final List<String> names;
    private final Supplier<JsonObject> defaults;
    private final Function<SchedulerConfig, Scheduler> factory;

    Schedulers(
            String className,
            List<String> names,
            Supplier<JsonObject> defaults,
            Function<SchedulerConfig, Scheduler> factory) {
        this.className = className;
        this.names = names;
        this.defaults = defaults;
        this.factory = factory;
    }

    /** diffusers' class name. */
    public String className() {
        return className;
    }

    /** The short name for {@code --scheduler} (the first of its aliases). */
    public String cliName() {
        return names.get(0);
    }

    /** The class's constructor defaults as a config object. */
    public JsonObject defaults() {
        return defaults.get();
    }

    /** The scheduler for a diffusers class name or a short name (case-insensitive). */
    public static Schedulers forName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Schedulers s : values()) {
            if (s.className.toLowerCase(Locale.ROOT).equals(n) || s.names.contains(n)) {
                return s;
            }
        }
        throw new IllegalArgumentException(
                "Unknown scheduler '"
                        + name
                        + "'; known: "
                        + Arrays.stream(values())
                                .map(s -> s.cliName() + " (" + s.className + ")")
                                .collect(Collectors.joining(", ")));
    }

    /** This scheduler configured from {@code file} (a scheduler_config.json object, any class). */
    public Scheduler create(JsonObject file) {
        return factory.apply(config(file));
    }

    /** {@code file} merged over this class's defaults, as diffusers' {@code from_config}. */
    public SchedulerConfig config(JsonObject file) {
        return SchedulerConfig.merge(className, defaults(), file);
    }

    /** This scheduler from a ready config (its class name is not checked). */
    public Scheduler create(SchedulerConfig config) {
        return factory.apply(config);
    }

    /**
     * Builds the scheduler that a {@code scheduler_config.json} names in {@code _class_name}, or
     * {@code override} (a short or class name; null to keep the file's) configured from the same
     * file, as diffusers' {@code OtherScheduler.from_config(pipe.scheduler.config)} does.
     */
    public static Scheduler fromConfig(JsonObject file, String override) {
        return SchedulerChoice.of(file, override).create();
    }

    /** {@link #fromConfig} on a file; errors name the file. */
    public static Scheduler load(Path schedulerConfig, String override) throws IOException {
        JsonObject file = HfConfigs.read(schedulerConfig);
        try {
            return fromConfig(file, override);
        } catch (IllegalArgumentException | IllegalStateException | ClassCastException e) {
            throw new IOException(schedulerConfig + ": " + e.getMessage(), e);
        }
    }
}
