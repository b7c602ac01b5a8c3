package image2music.pipeline;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import image2music.audio.Audio;
import image2music.audio.longform.ClipPlan;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.core.manifest.MediaLayout;
import image2music.models.diffusion.pipeline.InterpolationEndpoint;
import image2music.models.diffusion.pipeline.InterpolationRequest;
import image2music.models.diffusion.pipeline.PromptInterpolation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The JSON sidecars of {@code interpolate}: per clip, everything that reproduces that clip alone
 * (both endpoints, its alpha and the values derived from it, model, scheduler, steps, init and mask
 * with their SHA-256); for the joined piece, the same settings plus the clips and the cross-fade. A
 * clip's settings without its measured results are its recipe, which decides whether a clip left by
 * an earlier run can be kept ({@link Recipes#keptClip}).
 */
final class InterpolationSidecars {

    /** Keys of a clip sidecar that are measured, not settings: ignored when matching a recipe. */
    private static final List<String> RESULT_KEYS = List.of("sample_rate", "duration_s", "timings");

    private final InterpolationRequest request;
    private final String schedulerClass;
    private final Path model;
    private final InitSpectrogram init;
    private final JsonObject mask;
    private final double[] alphas;
    private final JsonArray modelFiles;

    /**
     * @param init the seed spectrogram, or null
     * @param mask the mask file, or null
     * @throws IOException if the mask file cannot be hashed or the model folder read
     */
    InterpolationSidecars(
            InterpolationRequest request,
            String schedulerClass,
            Path model,
            List<LoraWeights> loras,
            InitSpectrogram init,
            Path mask,
            double[] alphas)
            throws IOException {
        this.request = request;
        this.schedulerClass = schedulerClass;
        this.model = model;
        this.init = init;
        this.mask = mask == null ? null : Sidecars.file(mask, MediaLayout.sha256Hex(mask));
        this.alphas = alphas.clone();
        this.modelFiles = Recipes.modelFiles(model, loras);
    }

    /** Griffin-Lim's phase seed for every clip and the piece: the first end's seed. */
    long griffinLimSeed() {
        return request.from().seed();
    }

    /** The recipe of clip {@code i}. */
    JsonObject clip(int i, PromptInterpolation interpolation) {
        double alpha = alphas[i];
        JsonObject o = new JsonObject();
        o.addProperty("command", "interpolate");
        o.addProperty("clip_index", i);
        o.addProperty("clips", alphas.length);
        o.addProperty("alpha", alpha);
        o.addProperty("guidance", interpolation.guidance(alpha));
        if (init != null) {
            o.addProperty("strength", interpolation.strength(alpha).value());
        }
        settings(o);
        // Part of the recipe, as for a long piece's kept clips: new weights make a clip stale.
        o.add("model_files", modelFiles.deepCopy());
        return o;
    }

    /** The recipe plus the clip's measured audio and timings. */
    static JsonObject withResults(
            JsonObject recipe,
            Audio audio,
            double loadSeconds,
            double generateSeconds,
            double audioSeconds) {
        JsonObject o = recipe.deepCopy();
        Sidecars.audio(o, audio);
        JsonObject t = new JsonObject();
        t.addProperty("load_s", loadSeconds);
        t.addProperty("generate_s", generateSeconds);
        t.addProperty("audio_s", audioSeconds);
        o.add("timings", t);
        return o;
    }

    /** The sidecar of the joined piece. */
    JsonObject joined(ClipPlan plan, SpectrogramParams params, Audio audio, double joinSeconds) {
        JsonObject o = new JsonObject();
        o.addProperty("command", "interpolate");
        JsonArray clips = new JsonArray();
        JsonArray a = new JsonArray();
        for (int i = 0; i < alphas.length; i++) {
            clips.add(InterpolationService.clipName(i) + ".wav");
            a.add(alphas[i]);
        }
        o.add("clip_files", clips);
        o.add("alphas", a);
        o.addProperty("overlap_frames", plan.overlap());
        o.addProperty(
                "overlap_s",
                (plan.overlap() - 1) * (double) params.hopLength() / params.sampleRate());
        o.addProperty("crossfade", "raised-cosine, magnitude-linear, inverted once");
        settings(o);
        Sidecars.audio(o, audio);
        JsonObject t = new JsonObject();
        t.addProperty("join_s", joinSeconds);
        o.add("timings", t);
        return o;
    }

    /** What every sidecar states: the endpoints and shared settings. */
    private void settings(JsonObject o) {
        o.add("from", endpoint(request.from()));
        o.add("to", endpoint(request.to()));
        o.addProperty("negative_prompt", request.negativePrompt());
        o.addProperty("steps", request.steps());
        o.addProperty("scheduler", schedulerClass);
        o.addProperty("width", request.width());
        o.addProperty("height", request.height());
        o.addProperty("model", Sidecars.absolute(model));
        if (init != null) {
            o.add("init", Sidecars.file(init.file(), init.sha256()));
        }
        if (mask != null) {
            o.add("mask", mask.deepCopy());
        }
        o.addProperty("griffin_lim_seed", griffinLimSeed());
    }

    private JsonObject endpoint(InterpolationEndpoint e) {
        JsonObject o = new JsonObject();
        o.addProperty("prompt", e.prompt());
        o.addProperty("seed", e.seed());
        o.addProperty("guidance", e.guidance());
        // Strength means something only when there is an image to noise.
        if (init != null) {
            o.addProperty("strength", e.strength().value());
        }
        return o;
    }
}
