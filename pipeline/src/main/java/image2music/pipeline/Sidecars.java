package image2music.pipeline;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import image2music.audio.Audio;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.models.diffusion.longform.LongformGenerator;
import image2music.models.diffusion.longform.LongformResult;
import image2music.models.diffusion.pipeline.GenerationRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The one JSON sidecar format of generated results ({@code X.json} beside {@code X.wav}): the verb,
 * every setting that reproduces the result, the measured audio ({@code sample_rate}, {@code
 * duration_s}) and {@code timings}. Every use case builds its sidecars here; {@link ResultFiles}
 * writes them.
 */
final class Sidecars {

    private Sidecars() {}

    /**
     * The sidecar of result {@code index} of {@code request} made by {@code command}.
     *
     * @param seconds the requested length of a long piece, or null for a clip
     */
    static JsonObject music(
            String command,
            GenerationRequest request,
            MusicPiece piece,
            int index,
            String schedulerClass,
            Path model,
            Double seconds,
            double loadSeconds,
            SpectrogramParams params) {
        JsonObject o = new JsonObject();
        o.addProperty("command", command);
        o.addProperty("prompt", request.prompt());
        o.addProperty("negative_prompt", request.negativePrompt());
        o.addProperty("seed", piece.seed());
        o.addProperty("batch_index", index);
        o.addProperty("steps", request.steps());
        o.addProperty("guidance", request.guidance());
        o.addProperty("scheduler", schedulerClass);
        o.addProperty("width", request.width());
        o.addProperty("height", request.height());
        o.addProperty("model", absolute(model));
        audio(o, piece.audio());
        if (seconds != null) {
            o.addProperty("seconds", seconds);
        }
        if (piece.longform() != null) {
            longform(o, piece.longform(), params);
        }
        JsonObject t = new JsonObject();
        t.addProperty("load_s", loadSeconds);
        t.addProperty("generate_s", piece.generateSeconds());
        t.addProperty("audio_s", piece.audioSeconds());
        o.add("timings", t);
        return o;
    }

    /** Adds the LoRAs merged into the model ({@code loras}: file and scale each), if any. */
    static void loras(JsonObject o, List<LoraWeights> loras) {
        if (!loras.isEmpty()) {
            o.add("loras", LoraWeights.toJson(loras));
        }
    }

    /** Adds a piece's clip layout and per-clip seeds. */
    static void longform(JsonObject o, LongformResult r, SpectrogramParams params) {
        double hopSeconds = (double) params.hopLength() / params.sampleRate();
        o.addProperty("clips", r.plan().clipCount());
        o.addProperty("clip_width", r.plan().width());
        o.addProperty("overlap_px", r.plan().overlap());
        o.addProperty("overlap_s", r.plan().overlap() * hopSeconds);
        o.addProperty("pinned_px", r.pinnedFrames());
        JsonArray seeds = new JsonArray();
        for (long s : r.clipSeeds()) {
            seeds.add(s);
        }
        o.add("clip_seeds", seeds);
        o.addProperty(
                "clip_seed_rule",
                String.format(
                        Locale.ROOT,
                        "clip i: seed + i * 0x%X (mod 2^64)",
                        LongformGenerator.SEED_GAMMA));
    }

    /** Adds the measured audio: {@code sample_rate} and {@code duration_s}. */
    static void audio(JsonObject o, Audio audio) {
        o.addProperty("sample_rate", audio.sampleRate());
        o.addProperty("duration_s", audio.durationSeconds());
    }

    /** An input file as sidecars record it: absolute path and SHA-256. */
    static JsonObject file(Path path, String sha256) {
        JsonObject o = new JsonObject();
        o.addProperty("path", absolute(path));
        o.addProperty("sha256", sha256);
        return o;
    }

    /** A folder or file as sidecars record it: absolute and normalised. */
    static String absolute(Path p) {
        return p.toAbsolutePath().normalize().toString();
    }
}
