package image2music.app.cli.generate;

import com.google.gson.JsonObject;
import image2music.pipeline.MusicPiece;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.models.diffusion.pipeline.GenerationRequest;

/** The JSON sidecar of a generated result: every setting that reproduces it, and timings. */
public final class MusicSidecars {

    private MusicSidecars() {}

    /**
     * The sidecar of result {@code index} of {@code request} made by {@code command}.
     *
     * @param seconds the requested length of a long piece, or null for a clip
     */
    static JsonObject of(
            String command,
            GenerationRequest request,
            MusicPiece piece,
            int index,
            String schedulerClass,
            String model,
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
        o.addProperty("model", model);
        o.addProperty("sample_rate", piece.audio().sampleRate());
        o.addProperty("duration_s", piece.audio().durationSeconds());
        if (seconds != null) {
            o.addProperty("seconds", seconds);
        }
        if (piece.longform() != null) {
            OverlapOptions.describe(o, piece.longform(), params);
        }
        JsonObject t = new JsonObject();
        t.addProperty("load_s", loadSeconds);
        t.addProperty("generate_s", piece.generateSeconds());
        t.addProperty("audio_s", piece.audioSeconds());
        o.add("timings", t);
        return o;
    }
}
