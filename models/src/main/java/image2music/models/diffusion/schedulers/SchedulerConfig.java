package image2music.models.diffusion.schedulers;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import image2music.models.nn.HfConfigs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A diffusers {@code scheduler_config.json} merged over one scheduler class's defaults.
 *
 * <p>diffusers' {@code from_config} keeps every key of the file (those a class does not know are
 * ignored by it but saved again), and a key the file lacks takes the class's constructor default.
 * This record does the same: {@code values} is the defaults overlaid with the file, and the typed
 * accessors read from it. Each scheduler reads only the keys it knows and refuses values it does
 * not implement, naming the key.
 *
 * @param className the scheduler class the values are for (diffusers' name, e.g. {@code
 *     DDIMScheduler}); written back as {@code _class_name}
 * @param values every key, defaults included
 */
public record SchedulerConfig(String className, JsonObject values) {

    public SchedulerConfig {
        if (className == null || className.isEmpty()) {
            throw new IllegalArgumentException("SchedulerConfig needs a class name");
        }
        values = values.deepCopy();
    }

    /** A copy of the merged values. */
    @Override
    public JsonObject values() {
        return values.deepCopy();
    }

    /** {@code file} laid over {@code defaults}; the result is for {@code className}. */
    public static SchedulerConfig merge(String className, JsonObject defaults, JsonObject file) {
        JsonObject merged = defaults.deepCopy();
        for (Map.Entry<String, JsonElement> e : file.entrySet()) {
            merged.add(e.getKey(), e.getValue().deepCopy());
        }
        merged.remove("_class_name");
        return new SchedulerConfig(className, merged);
    }

    /** This config with {@code key} set to {@code value} (a number, string or boolean). */
    public SchedulerConfig with(String key, Object value) {
        JsonObject o = values.deepCopy();
        if (value instanceof Number n) {
            o.addProperty(key, n);
        } else if (value instanceof Boolean b) {
            o.addProperty(key, b);
        } else {
            o.addProperty(key, String.valueOf(value));
        }
        return new SchedulerConfig(className, o);
    }

    /** The JSON diffusers writes: every value plus {@code _class_name}. */
    public JsonObject toJson() {
        JsonObject o = values.deepCopy();
        o.addProperty("_class_name", className);
        return o;
    }

    /** Writes {@code scheduler_config.json} atomically. */
    public void write(Path path) throws IOException {
        HfConfigs.write(path, toJson());
    }

    public int numTrainTimesteps() {
        int n = integer("num_train_timesteps");
        if (n < 2) {
            throw bad("num_train_timesteps", n + " (must be >= 2)");
        }
        return n;
    }

    public double betaStart() {
        return number("beta_start");
    }

    public double betaEnd() {
        return number("beta_end");
    }

    public String betaSchedule() {
        return string("beta_schedule");
    }

    /** {@code trained_betas}, or null when the file has none. */
    public double[] trainedBetas() {
        JsonElement e = values.get("trained_betas");
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonArray()) {
            throw bad("trained_betas", e.toString());
        }
        JsonArray a = e.getAsJsonArray();
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsDouble();
        }
        return out;
    }

    public String predictionType() {
        return string("prediction_type");
    }

    public String timestepSpacing() {
        return string("timestep_spacing");
    }

    public int stepsOffset() {
        return integer("steps_offset");
    }

    /** The boolean at {@code key}; false when absent or null. */
    public boolean flag(String key) {
        JsonElement e = values.get(key);
        return e != null && !e.isJsonNull() && e.getAsBoolean();
    }

    /** The string at {@code key}, or null when absent or null. */
    public String string(String key) {
        JsonElement e = values.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    /** The number at {@code key}; absent or null is an error naming the key. */
    public double number(String key) {
        JsonElement e = values.get(key);
        if (e == null || e.isJsonNull()) {
            throw bad(key, "missing");
        }
        try {
            return e.getAsDouble();
        } catch (RuntimeException ex) {
            throw bad(key, e.toString());
        }
    }

    /** The integer at {@code key}; absent, null or fractional is an error naming the key. */
    public int integer(String key) {
        double d = number(key);
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw bad(key, Double.toString(d));
        }
        return (int) d;
    }

    /** Refuses {@code key} unless its value is one of {@code supported}. */
    String require(String key, String... supported) {
        String v = string(key);
        for (String s : supported) {
            if (s.equals(v)) {
                return v;
            }
        }
        throw bad(key, "'" + v + "' (supported: " + String.join(", ", supported) + ")");
    }

    /** Refuses {@code key} when it is true (an option this implementation lacks). */
    void refuseFlag(String key) {
        if (flag(key)) {
            throw bad(key, "true is not supported");
        }
    }

    IllegalArgumentException bad(String key, String value) {
        return new IllegalArgumentException(className + " config: " + key + " = " + value);
    }
}
