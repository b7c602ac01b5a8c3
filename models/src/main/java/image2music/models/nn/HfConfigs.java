package image2music.models.nn;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import image2music.audio.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Reads and writes HuggingFace JSON configs ({@code config.json} and friends). */
public final class HfConfigs {

    private HfConfigs() {}

    /** Reads {@code path} as a JSON object; a malformed file is an error naming it. */
    public static JsonObject read(Path path) throws IOException {
        String text = Files.readString(path, StandardCharsets.UTF_8);
        try {
            JsonElement el = JsonParser.parseString(text);
            if (!el.isJsonObject()) {
                throw new IOException(path + ": expected a JSON object");
            }
            return el.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new IOException(path + ": malformed JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code config} atomically as transformers does ({@code to_json_string}: keys sorted,
     * two-space indent, trailing newline).
     */
    public static void write(Path path, JsonObject config) throws IOException {
        String json =
                new GsonBuilder()
                                .setPrettyPrinting()
                                .serializeNulls()
                                .disableHtmlEscaping()
                                .create()
                                .toJson(sorted(config))
                        + "\n";
        AtomicFiles.write(path, json.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonObject sorted(JsonObject o) {
        Map<String, JsonElement> keys = new TreeMap<>();
        o.entrySet().forEach(e -> keys.put(e.getKey(), e.getValue()));
        JsonObject out = new JsonObject();
        keys.forEach((k, v) -> out.add(k, v.isJsonObject() ? sorted(v.getAsJsonObject()) : v));
        return out;
    }
}
