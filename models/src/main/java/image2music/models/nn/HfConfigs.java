package image2music.models.nn;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import image2music.core.io.AtomicFiles;
import image2music.core.io.ErrorText;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** Reads and writes HuggingFace JSON configs ({@code config.json} and friends). */
public final class HfConfigs {

    private HfConfigs() {}

    /** Reads {@code path} as a JSON object; a malformed file is an error naming it. */
    public static JsonObject read(Path path) throws IOException {
        String text = text(path);
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
     * Reads {@code path} and parses it; a config the parser rejects is an error naming the file and
     * {@code what} it should have been (e.g. "ViT config").
     */
    public static <T> T read(Path path, String what, Function<JsonObject, T> parser)
            throws IOException {
        JsonObject o = read(path);
        try {
            return parser.apply(o);
        } catch (IllegalArgumentException
                | IllegalStateException
                | ClassCastException
                | UnsupportedOperationException
                | ArithmeticException
                | IndexOutOfBoundsException
                | NullPointerException e) {
            throw new IOException(path + ": not a usable " + what + ": " + ErrorText.of(e), e);
        }
    }

    /**
     * The UTF-8 text of {@code path}, a regular file; a folder or bytes that are not UTF-8 are an
     * error naming the file.
     */
    public static String text(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            throw new IOException(path + ": is a folder, not a file");
        }
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new IOException(path + ": not UTF-8 text", e);
        }
    }

    /** The keys of {@code o} not in {@code modelled}: kept so a saved config round-trips. */
    public static JsonObject unmodelled(JsonObject o, Collection<String> modelled) {
        JsonObject extra = new JsonObject();
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            if (!modelled.contains(e.getKey())) {
                extra.add(e.getKey(), e.getValue());
            }
        }
        return extra;
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
