package image2music.core.json;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import image2music.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON helpers: config values with defaults (null or absent = default, as diffusers reads them) and
 * pretty-printed, atomically written files.
 */
public final class Json {

    private static final Gson PRETTY =
            new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create();

    private Json() {}

    public static boolean present(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull();
    }

    public static int intOr(JsonObject o, String key, int dflt) {
        return present(o, key) ? o.get(key).getAsInt() : dflt;
    }

    public static float floatOr(JsonObject o, String key, float dflt) {
        return present(o, key) ? o.get(key).getAsFloat() : dflt;
    }

    public static boolean boolOr(JsonObject o, String key, boolean dflt) {
        return present(o, key) ? o.get(key).getAsBoolean() : dflt;
    }

    public static String strOr(JsonObject o, String key, String dflt) {
        return present(o, key) ? o.get(key).getAsString() : dflt;
    }

    /** A list of strings; a missing key gives {@code dflt}. */
    public static List<String> strings(JsonObject o, String key, List<String> dflt) {
        if (!present(o, key)) {
            return dflt;
        }
        List<String> out = new ArrayList<>();
        for (JsonElement e : o.getAsJsonArray(key)) {
            out.add(e.getAsString());
        }
        return out;
    }

    /** A list of ints, or one int (as a one-element list); a missing key gives {@code dflt}. */
    public static List<Integer> ints(JsonObject o, String key, List<Integer> dflt) {
        if (!present(o, key)) {
            return dflt;
        }
        JsonElement v = o.get(key);
        if (v.isJsonPrimitive()) {
            return List.of(v.getAsInt());
        }
        List<Integer> out = new ArrayList<>();
        for (JsonElement e : v.getAsJsonArray()) {
            out.add(e.getAsInt());
        }
        return out;
    }

    public static JsonArray array(List<?> values) {
        JsonArray a = new JsonArray();
        for (Object v : values) {
            if (v instanceof Number n) {
                a.add(n);
            } else {
                a.add(v.toString());
            }
        }
        return a;
    }

    /**
     * {@code o} as pretty-printed UTF-8 JSON (nulls kept, no HTML escaping), newline-terminated.
     */
    public static byte[] pretty(JsonObject o) {
        return (PRETTY.toJson(o) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Writes {@code o} to {@code path} atomically, as {@link #pretty}. */
    public static void write(Path path, JsonObject o) throws IOException {
        AtomicFiles.write(path, pretty(o));
    }
}
