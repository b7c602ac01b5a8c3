package image2music.app.cli;

import com.google.gson.JsonObject;
import image2music.app.pipeline.MusicPiece;
import image2music.app.pipeline.TextToMusic;
import image2music.audio.longform.ClipPlan;
import image2music.models.diffusion.pipeline.GenerationProgress;
import image2music.models.diffusion.pipeline.GenerationRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The shared tail of the verbs that make music from a prompt ({@code text-to-audio}, {@code
 * image-to-music}): generate with a progress bar per clip, encode each result's files with its
 * sidecar, and write them only once all are ready, so a failure leaves no partial batch.
 */
final class MusicResults {

    private MusicResults() {}

    /**
     * The files of {@code request}'s results.
     *
     * @param generate makes the results, reporting to the progress it is given
     * @param plan the long pieces' layout, or null for clips
     * @param seconds the requested length of a long piece, or null
     * @param out {@code X.wav}; a batch is numbered {@code X-000.wav}, …
     * @param extra adds the verb's own fields to each sidecar
     */
    static List<ResultFiles> make(
            String command,
            TextToMusic music,
            GenerationRequest request,
            ClipPlan plan,
            Double seconds,
            Function<GenerationProgress, List<MusicPiece>> generate,
            Path out,
            String model,
            double loadSeconds,
            Consumer<JsonObject> extra)
            throws IOException {
        List<MusicPiece> pieces;
        int bars = request.batch() * (plan == null ? 1 : plan.clipCount());
        try (StepProgressBars b = new StepProgressBars(bars, plan == null ? "image" : "clip")) {
            pieces = generate.apply(b);
        }
        String schedulerClass = music.pipeline().schedulerClass(request.scheduler());
        List<ResultFiles> files = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            MusicPiece piece = pieces.get(i);
            JsonObject meta =
                    MusicSidecars.of(
                            command,
                            request,
                            piece,
                            i,
                            schedulerClass,
                            model,
                            seconds,
                            loadSeconds,
                            music.params());
            extra.accept(meta);
            files.add(
                    new ResultFiles(
                            ResultFiles.numbered(out, request.batch(), i),
                            piece.image(),
                            music.params(),
                            meta,
                            piece.audio()));
        }
        return files;
    }

    /** Writes every result's files, each atomically, with a line per result on {@code stdout}. */
    static void write(List<ResultFiles> results, PrintWriter stdout) throws IOException {
        for (ResultFiles r : results) {
            r.write();
            stdout.printf(Locale.ROOT, "wrote %s (%.2f s)%n", r.wav(), r.seconds());
        }
        stdout.flush();
    }
}
