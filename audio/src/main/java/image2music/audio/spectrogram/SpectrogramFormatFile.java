package image2music.audio.spectrogram;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import image2music.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The spectrogram format a generator was trained on, kept beside its weights as {@code
 * spectrogram.json} (the {@link SpectrogramParams} fields): a model trained on 64-bin tiles must
 * also be sampled and inverted at 64 bins. A folder without the file (riffusion-model-v1, any SD
 * pipeline) uses Riffusion's format, {@link SpectrogramParams#defaults()}.
 */
public final class SpectrogramFormatFile {

    public static final String FILE = "spectrogram.json";

    /** Larger than any real format file: refused unread. */
    private static final long MAX_BYTES = 1 << 16;

    private static final Gson GSON = new Gson();

    private SpectrogramFormatFile() {}

    /** Writes {@code params} as {@code dir/spectrogram.json}, atomically. */
    public static void write(Path dir, SpectrogramParams params) throws IOException {
        Json.write(dir.resolve(FILE), GSON.toJsonTree(params).getAsJsonObject());
    }

    /**
     * The format of the model folder {@code dir}: its {@code spectrogram.json} over the defaults,
     * or the defaults when the folder has none.
     *
     * @throws IOException naming the file when it is not a valid format
     */
    public static SpectrogramParams read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return SpectrogramParams.defaults();
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new IOException(file + ": over " + MAX_BYTES + " bytes, not a format file");
        }
        try {
            JsonObject merged = GSON.toJsonTree(SpectrogramParams.defaults()).getAsJsonObject();
            JsonObject found = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            for (Map.Entry<String, JsonElement> e : found.entrySet()) {
                if (!merged.has(e.getKey())) {
                    throw new IOException(file + ": unknown key '" + e.getKey() + "'");
                }
                merged.add(e.getKey(), e.getValue());
            }
            return GSON.fromJson(merged, SpectrogramParams.class);
        } catch (JsonParseException | IllegalStateException | IllegalArgumentException e) {
            throw new IOException(file + ": not a spectrogram format (" + e.getMessage() + ")", e);
        }
    }
}
