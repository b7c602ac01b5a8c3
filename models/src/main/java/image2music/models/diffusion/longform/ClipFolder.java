package image2music.models.diffusion.longform;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import image2music.core.io.AtomicFiles;
import image2music.core.io.FileTrees;
import image2music.models.nn.SafetensorsFile;
import image2music.models.nn.SafetensorsWriter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A {@link ClipStore} in a folder: {@code recipe.json} (the settings the clips were made with),
 * then per finished clip its latents ({@code clip-000.safetensors}) and image ({@code
 * clip-000.png}), each written atomically, the image last, so a clip counts as finished only when
 * both are there. A folder made with another recipe is emptied first: its clips belong to another
 * piece.
 */
public final class ClipFolder implements ClipStore {

    private static final String RECIPE = "recipe.json";
    private static final String LATENTS = "latents";

    private final Path dir;

    private ClipFolder(Path dir) {
        this.dir = dir;
    }

    /**
     * The folder {@code dir} for a piece made with {@code recipe}: kept clips are reused if it was
     * made with an equal recipe, else it is emptied; created if missing.
     *
     * @throws IOException if it cannot be read or written
     */
    public static ClipFolder open(Path dir, JsonObject recipe) throws IOException {
        Path file = dir.resolve(RECIPE);
        if (Files.isRegularFile(file) && !recipe.equals(read(file))) {
            FileTrees.delete(dir);
        }
        Files.createDirectories(dir);
        if (!Files.isRegularFile(file)) {
            AtomicFiles.write(file, (recipe + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return new ClipFolder(dir);
    }

    /** The folder. */
    public Path dir() {
        return dir;
    }

    /** How many clips from the first on are finished. */
    public int finished() {
        int n = 0;
        while (Files.isRegularFile(png(n)) && Files.isRegularFile(latents(n))) {
            n++;
        }
        return n;
    }

    @Override
    public Clip load(int clip, NDManager manager) {
        Path png = png(clip);
        Path latents = latents(clip);
        if (!Files.isRegularFile(png) || !Files.isRegularFile(latents)) {
            return null;
        }
        try {
            BufferedImage image = ImageIO.read(png.toFile());
            NDArray l = SafetensorsFile.read(latents, manager).get(LATENTS);
            if (image == null || l == null) {
                throw new IOException(png + ": a kept clip is unreadable; delete " + dir);
            }
            return new Clip(image, l);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void save(int clip, BufferedImage image, NDArray latents) {
        try {
            SafetensorsWriter.write(latents(clip), Map.of(LATENTS, latents));
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(image, "png", png);
            AtomicFiles.write(png(clip), png.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the folder and everything in it (once the piece is written). */
    public void delete() throws IOException {
        FileTrees.delete(dir);
    }

    private static JsonObject read(Path file) throws IOException {
        try {
            return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        } catch (RuntimeException e) {
            // A recipe cut short or edited by hand: not this piece's.
            return new JsonObject();
        }
    }

    private Path png(int clip) {
        return dir.resolve(String.format(Locale.ROOT, "clip-%03d.png", clip));
    }

    private Path latents(int clip) {
        return dir.resolve(String.format(Locale.ROOT, "clip-%03d.safetensors", clip));
    }
}
