package image2music.models.vit;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import image2music.models.nn.HfConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The parts of HF's {@code preprocessor_config.json} (ViTImageProcessor) we honour.
 *
 * @param height resize target height (when {@code doResize})
 * @param width resize target width
 * @param rescaleFactor multiplies 8-bit values (1/255)
 * @param mean per-channel mean subtracted after rescaling (when {@code doNormalize})
 * @param std per-channel standard deviation divided by
 */
public record ImageProcessorConfig(
        boolean doResize,
        int height,
        int width,
        boolean doRescale,
        double rescaleFactor,
        boolean doNormalize,
        float[] mean,
        float[] std) {

    public static final String FILE = "preprocessor_config.json";

    /** PIL's BILINEAR, the only resampling filter implemented (ViT's default). */
    private static final int PIL_BILINEAR = 2;

    private static final float[] HALF = {0.5f, 0.5f, 0.5f};

    public ImageProcessorConfig {
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("image_mean and image_std need 3 values");
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** ViTImageProcessor's defaults for a model of {@code imageSize}: mean = std = 0.5. */
    public static ImageProcessorConfig defaults(int imageSize) {
        return new ImageProcessorConfig(
                true, imageSize, imageSize, true, 1 / 255.0, true, HALF, HALF);
    }

    /**
     * The preprocessing for the model folder {@code dir}: its {@code preprocessor_config.json} when
     * present, else {@link #defaults} for the model's {@code image_size}.
     */
    public static ImageProcessorConfig forModel(Path dir, ViTConfig model) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return defaults(model.imageSize());
        }
        JsonObject o = HfConfigs.read(file);
        try {
            return fromJson(o, model.imageSize());
        } catch (IllegalArgumentException | IllegalStateException | ClassCastException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    static ImageProcessorConfig fromJson(JsonObject o, int imageSize) {
        ImageProcessorConfig d = defaults(imageSize);
        int h = d.height();
        int w = d.width();
        JsonElement size = o.get("size");
        if (size != null && size.isJsonPrimitive()) {
            h = w = size.getAsInt();
        } else if (size != null && size.isJsonObject()) {
            JsonObject s = size.getAsJsonObject();
            if (s.has("height") && s.has("width")) {
                h = s.get("height").getAsInt();
                w = s.get("width").getAsInt();
            } else {
                throw new IllegalArgumentException(
                        "size "
                                + s
                                + " is not supported (ViTImageProcessor uses height and width)");
            }
        }
        if (o.has("resample") && o.get("resample").getAsInt() != PIL_BILINEAR) {
            throw new IllegalArgumentException(
                    "resample " + o.get("resample") + " is not supported (only bilinear, 2)");
        }
        return new ImageProcessorConfig(
                bool(o, "do_resize", true),
                h,
                w,
                bool(o, "do_rescale", true),
                o.has("rescale_factor") ? o.get("rescale_factor").getAsDouble() : 1 / 255.0,
                bool(o, "do_normalize", true),
                triple(o, "image_mean", d.mean()),
                triple(o, "image_std", d.std()));
    }

    private static boolean bool(JsonObject o, String k, boolean dflt) {
        return o.has(k) && !o.get(k).isJsonNull() ? o.get(k).getAsBoolean() : dflt;
    }

    private static float[] triple(JsonObject o, String k, float[] dflt) {
        JsonElement e = o.get(k);
        if (e == null || e.isJsonNull()) {
            return dflt;
        }
        if (e.isJsonPrimitive()) {
            float v = e.getAsFloat();
            return new float[] {v, v, v};
        }
        JsonArray a = e.getAsJsonArray();
        if (a.size() != 3) {
            throw new IllegalArgumentException(k + " needs 3 values, got " + a);
        }
        return new float[] {a.get(0).getAsFloat(), a.get(1).getAsFloat(), a.get(2).getAsFloat()};
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }
}
