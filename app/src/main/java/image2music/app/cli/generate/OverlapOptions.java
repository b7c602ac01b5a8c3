package image2music.app.cli.generate;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import image2music.pipeline.TextToMusic;
import image2music.audio.longform.ClipPlan;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.models.diffusion.longform.LongformGenerator;
import image2music.models.diffusion.longform.LongformResult;
import image2music.models.diffusion.pipeline.GenerationRequest;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code --overlap} option of the verbs that work clip by clip (long-form {@code
 * text-to-audio}, {@code audio-to-audio}), its conversion to pixels on the model's latent grid, and
 * the sidecar fields that describe a piece's clips.
 */
public final class OverlapOptions {

    /** The longest piece: an hour, far beyond any use, but a bound on memory. */
    static final double MAX_SECONDS = 3600;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(
            names = "--overlap",
            paramLabel = "S",
            description =
                    "Seconds shared by consecutive clips, rounded to the model's latent grid"
                            + " (default: a quarter of --width, 1.28 s at 512 px).")
    Double seconds;

    /**
     * Checks the mixee's {@code --seconds} (null: one clip) against this option.
     *
     * @throws ParameterException if the length is out of range, or {@code --overlap} is given for a
     *     single clip
     */
    void checkLength(Double length) {
        if (length != null && !(length > 0 && length <= MAX_SECONDS)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--seconds must be in (0, " + MAX_SECONDS + "], got " + length);
        }
        if (length == null && seconds != null) {
            throw new ParameterException(
                    spec.commandLine(), "--overlap applies to long pieces: give --seconds too");
        }
    }

    /**
     * The overlap in pixels: a multiple of {@code pixelsPerLatent} (so the shared part is whole
     * latent columns), shorter than a clip of {@code width} px.
     *
     * @throws ParameterException if the overlap is negative or not shorter than a clip
     */
    int pixels(int width, int pixelsPerLatent, SpectrogramParams params) {
        int px;
        if (seconds == null) {
            px = width / 4 / pixelsPerLatent * pixelsPerLatent;
        } else {
            if (!(seconds >= 0) || Double.isInfinite(seconds)) {
                throw new ParameterException(
                        spec.commandLine(), "--overlap must be >= 0 seconds, got " + seconds);
            }
            double frames = seconds * params.sampleRate() / params.hopLength();
            px = (int) Math.round(frames / pixelsPerLatent) * pixelsPerLatent;
        }
        if (px >= width) {
            throw new ParameterException(
                    spec.commandLine(),
                    String.format(
                            Locale.ROOT,
                            "--overlap %s (%d px) must be shorter than a clip of --width %d px",
                            seconds == null ? "" : seconds + " s",
                            px,
                            width));
        }
        return px;
    }

    /**
     * The plan of a piece of {@code length} seconds for {@code music}'s model, or null for one clip
     * when {@code length} is null.
     */
    ClipPlan plan(TextToMusic music, GenerationRequest request, Double length) {
        if (length == null) {
            return null;
        }
        int px = pixels(request.width(), music.pipeline().pixelsPerLatent(), music.params());
        return music.plan(request, length, px);
    }

    /** Adds a piece's clip layout and per-clip seeds to a sidecar. */
    static void describe(JsonObject o, LongformResult r, SpectrogramParams params) {
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
}
