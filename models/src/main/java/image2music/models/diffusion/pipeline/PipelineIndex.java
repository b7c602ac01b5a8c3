package image2music.models.diffusion.pipeline;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import image2music.models.nn.HfConfigs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pipeline folder's {@code model_index.json} (diffusers' format): {@code _class_name}, {@code
 * _diffusers_version} and one {@code [library, class]} pair per component subfolder ({@code [null,
 * null]} for an absent one). A pixel-space model (no {@code vae/}) is ours alone: its index says so
 * with {@code "_image2music_pixel_space": true} and class {@value #PIXEL_CLASS}, so that diffusers
 * refuses it rather than mis-loading it, and its {@link PixelNormalization} sits beside the flag
 * ({@value #PIXEL_SHIFT}, {@value #PIXEL_SCALE}), as a VAE's factors sit in its config.
 *
 * @param className the pipeline class
 * @param diffusersVersion the diffusers version the folder claims
 * @param components component name to {@code [library, class]}, null pairs for absent ones
 * @param pixelSpace whether the model denoises pixels (no VAE)
 * @param pixelNormalization how a pixel-space model's images are scaled for its UNet (the identity
 *     for a latent model)
 */
public record PipelineIndex(
        String className,
        String diffusersVersion,
        Map<String, List<String>> components,
        boolean pixelSpace,
        PixelNormalization pixelNormalization) {

    public static final String FILE = "model_index.json";
    public static final String LATENT_CLASS = "StableDiffusionPipeline";
    public static final String PIXEL_CLASS = "Image2MusicPixelDiffusionPipeline";
    public static final String PIXEL_FLAG = "_image2music_pixel_space";
    public static final String PIXEL_SHIFT = "_image2music_pixel_shift";
    public static final String PIXEL_SCALE = "_image2music_pixel_scale";
    static final String DIFFUSERS_VERSION = "0.31.0";

    public PipelineIndex {
        components = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(components));
        if (pixelNormalization == null) {
            pixelNormalization = PixelNormalization.IDENTITY;
        }
        if (!pixelSpace && !pixelNormalization.isIdentity()) {
            throw new IllegalArgumentException("only a pixel-space pipeline normalises pixels");
        }
    }

    /**
     * The index of a folder we write: a latent or a pixel-space Stable Diffusion pipeline, the
     * latter with its normalisation.
     */
    public static PipelineIndex of(
            boolean pixelSpace, PixelNormalization pixelNormalization, String schedulerClass) {
        Map<String, List<String>> c = new LinkedHashMap<>();
        c.put("scheduler", List.of("diffusers", schedulerClass));
        c.put("text_encoder", List.of("transformers", "CLIPTextModel"));
        c.put("tokenizer", List.of("transformers", "CLIPTokenizer"));
        c.put("unet", List.of("diffusers", "UNet2DConditionModel"));
        c.put("vae", pixelSpace ? null : List.of("diffusers", "AutoencoderKL"));
        return new PipelineIndex(
                pixelSpace ? PIXEL_CLASS : LATENT_CLASS,
                DIFFUSERS_VERSION,
                c,
                pixelSpace,
                pixelNormalization);
    }

    /** Whether {@code name} is listed with a class (not absent, not {@code [null, null]}). */
    public boolean has(String name) {
        return components.get(name) != null;
    }

    /** Reads {@code file}; errors name it. */
    public static PipelineIndex read(Path file) throws IOException {
        JsonObject o = HfConfigs.read(file);
        String cls = string(o, "_class_name");
        if (cls == null) {
            throw new IOException(file + ": no _class_name (not a diffusers model_index.json)");
        }
        Map<String, List<String>> c = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            if (e.getKey().startsWith("_")) {
                continue;
            }
            if (!e.getValue().isJsonArray() || e.getValue().getAsJsonArray().size() != 2) {
                throw new IOException(
                        file
                                + ": component '"
                                + e.getKey()
                                + "' is not a [library, class] pair: "
                                + e.getValue());
            }
            JsonArray pair = e.getValue().getAsJsonArray();
            c.put(
                    e.getKey(),
                    pair.get(1).isJsonNull()
                            ? null
                            : List.of(
                                    pair.get(0).isJsonNull() ? "" : pair.get(0).getAsString(),
                                    pair.get(1).getAsString()));
        }
        JsonElement flag = o.get(PIXEL_FLAG);
        boolean pixel = flag != null && flag.isJsonPrimitive() && flag.getAsBoolean();
        PixelNormalization norm = PixelNormalization.IDENTITY;
        if (pixel) {
            try {
                norm = PixelNormalization.readFrom(o, PIXEL_SHIFT, PIXEL_SCALE);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
        }
        return new PipelineIndex(cls, string(o, "_diffusers_version"), c, pixel, norm);
    }

    /** Writes this index to {@code file} (atomically). */
    public void write(Path file) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("_class_name", className);
        o.addProperty("_diffusers_version", diffusersVersion);
        if (pixelSpace) {
            o.addProperty(PIXEL_FLAG, true);
            pixelNormalization.writeTo(o, PIXEL_SHIFT, PIXEL_SCALE);
        }
        for (Map.Entry<String, List<String>> e : components.entrySet()) {
            JsonArray pair = new JsonArray();
            if (e.getValue() == null) {
                pair.add(JsonNull.INSTANCE);
                pair.add(JsonNull.INSTANCE);
            } else {
                e.getValue().forEach(pair::add);
            }
            o.add(e.getKey(), pair);
        }
        HfConfigs.write(file, o);
    }

    private static String string(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }
}
