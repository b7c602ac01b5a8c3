package image2music.models.diffusion;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Reading diffusers config values with defaults (null or absent = default). */
final class Json {

    private Json() {}

    static boolean present(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull();
    }

    static int intOr(JsonObject o, String key, int dflt) {
        return present(o, key) ? o.get(key).getAsInt() : dflt;
    }

    static float floatOr(JsonObject o, String key, float dflt) {
        return present(o, key) ? o.get(key).getAsFloat() : dflt;
    }

    static boolean boolOr(JsonObject o, String key, boolean dflt) {
        return present(o, key) ? o.get(key).getAsBoolean() : dflt;
    }

    static String strOr(JsonObject o, String key, String dflt) {
        return present(o, key) ? o.get(key).getAsString() : dflt;
    }

    /** A list of strings; a missing key gives {@code dflt}. */
    static List<String> strings(JsonObject o, String key, List<String> dflt) {
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
    static List<Integer> ints(JsonObject o, String key, List<Integer> dflt) {
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

    static JsonArray array(List<?> values) {
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
}
