package image2music.pipeline;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import image2music.audio.spectrogram.SpectrogramImageIO;
import image2music.models.diffusion.longform.ClipFolder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The one resume rule of long pieces and interpolations: a clip an earlier run finished is kept
 * only if the recipe it was made with (every setting that decides it, plus the model folder's files
 * with their sizes and modification times) equals the current one; otherwise it is made again. A
 * long piece keeps its clips in {@code X.clips/} ({@link ClipFolder}), removed once the piece is
 * written; an interpolation's clips are its own output files, their sidecars the recipe plus the
 * measured keys.
 */
public final class Recipes {

    /** Keys of a sidecar that are measured, not settings: ignored when matching a recipe. */
    private static final List<String> RESULT_KEYS = List.of("sample_rate", "duration_s", "timings");

    private Recipes() {}

    /**
     * Each file of the model folder (two levels: the index and the components' files) with its size
     * and modification time, then each LoRA with its scale, so weights replaced at the same path
     * make kept clips stale.
     */
    static JsonArray modelFiles(Path model, List<LoraWeights> loras) throws IOException {
        JsonArray files = modelFiles(model);
        // A LoRA merged in changes every clip: its file (size, time) and scale join the recipe.
        for (LoraWeights l : loras) {
            files.add(
                    "lora:"
                            + l.file().toAbsolutePath().normalize()
                            + ":"
                            + l.scale()
                            + ":"
                            + Files.size(l.file())
                            + ":"
                            + Files.getLastModifiedTime(l.file()).toMillis());
        }
        return files;
    }

    private static JsonArray modelFiles(Path model) throws IOException {
        JsonArray files = new JsonArray();
        try (Stream<Path> s = Files.walk(model, 2)) {
            for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                files.add(
                        model.relativize(f)
                                + ":"
                                + Files.size(f)
                                + ":"
                                + Files.getLastModifiedTime(f).toMillis());
            }
        }
        return files;
    }

    /** The kept clips of the long piece written to {@code wav}: {@code X.clips/} beside it. */
    static ClipFolder clipFolder(Path wav, JsonObject recipe) throws IOException {
        return ClipFolder.open(ResultFiles.sibling(wav, ".clips"), recipe);
    }

    /**
     * A clip an earlier run left on disk.
     *
     * @param image its spectrogram image
     * @param seconds its audio's duration, as its sidecar states
     */
    public record Kept(BufferedImage image, double seconds) {}

    /**
     * The clip an earlier run left at {@code wav} (with its PNG and JSON), if its sidecar's
     * settings equal {@code recipe} and its PNG is {@code width × height}; null if the clip must be
     * generated (missing, different or unreadable files).
     */
    public static Kept keptClip(Path wav, JsonObject recipe, int width, int height) {
        Path json = ResultFiles.sibling(wav, ".json");
        Path png = ResultFiles.sibling(wav, ".png");
        if (!Files.isRegularFile(wav) || !Files.isRegularFile(json) || !Files.isRegularFile(png)) {
            return null;
        }
        try {
            JsonObject found = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
            double seconds = found.get("duration_s").getAsDouble();
            for (String k : RESULT_KEYS) {
                found.remove(k);
            }
            // Compared as text, after the same parse, so 7 and 7.0 or long seeds cannot mislead.
            String wanted = JsonParser.parseString(recipe.toString()).toString();
            if (!wanted.equals(found.toString())) {
                return null;
            }
            BufferedImage image = SpectrogramImageIO.read(png).image();
            return image.getWidth() == width && image.getHeight() == height
                    ? new Kept(image, seconds)
                    : null;
        } catch (IOException
                | JsonParseException
                | IllegalStateException
                | UnsupportedOperationException
                | NullPointerException e) {
            // A sidecar without a duration or with odd types is not a finished clip's.
            return null;
        }
    }
}
