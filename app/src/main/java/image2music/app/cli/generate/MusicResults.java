package image2music.app.cli.generate;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import image2music.pipeline.MusicPiece;
import image2music.pipeline.TextToMusic;
import image2music.audio.longform.ClipPlan;
import image2music.models.diffusion.longform.ClipFolder;
import image2music.models.diffusion.longform.ClipStore;
import image2music.models.diffusion.pipeline.GenerationProgress;
import image2music.models.diffusion.pipeline.GenerationRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * The shared tail of the verbs that make music from a prompt ({@code text-to-audio}, {@code
 * image-to-music}): generate with a progress bar per clip, encode each result's files with its
 * sidecar, and write them only once all are ready, so a failure leaves no partial batch. A long
 * piece keeps its finished clips in {@code X.clips/} beside its WAV until the piece is written, so
 * a run that stops (an error, Ctrl-C, a reboot) goes on from there when run again with the same
 * settings.
 */
public final class MusicResults {

    /** Makes the results, keeping long piece {@code p}'s clips in {@code stores.apply(p)}. */
    @FunctionalInterface
    interface Generation {
        List<MusicPiece> run(IntFunction<ClipStore> stores, GenerationProgress progress);
    }

    private final List<ResultFiles> files;
    private final List<ClipFolder> clipFolders;

    private MusicResults(List<ResultFiles> files, List<ClipFolder> clipFolders) {
        this.files = files;
        this.clipFolders = clipFolders;
    }

    /**
     * The results of {@code request}, encoded but not yet written.
     *
     * @param plan the long pieces' layout, or null for clips
     * @param seconds the requested length of a long piece, or null
     * @param out {@code X.wav}; a batch is numbered {@code X-000.wav}, …
     * @param extra adds the verb's own fields to each sidecar
     */
    static MusicResults make(
            String command,
            TextToMusic music,
            GenerationRequest request,
            ClipPlan plan,
            Double seconds,
            Generation generation,
            Path out,
            String model,
            double loadSeconds,
            PrintWriter stdout,
            Consumer<JsonObject> extra)
            throws IOException {
        String schedulerClass = music.pipeline().schedulerClass(request.scheduler());
        // Read once for all pieces of a batch, and only where clips are kept.
        JsonArray modelFiles = plan == null ? null : fingerprint(Path.of(model));
        List<ClipFolder> folders = new ArrayList<>();
        IntFunction<ClipStore> stores =
                p -> {
                    Path wav = ResultFiles.numbered(out, request.batch(), p);
                    ClipFolder folder =
                            openClipFolder(
                                    wav,
                                    recipe(request, p, plan, schedulerClass, model, modelFiles));
                    int kept = folder.finished();
                    if (kept > 0) {
                        stdout.printf(
                                Locale.ROOT,
                                "resuming %s: %d of %d clips kept in %s%n",
                                wav.getFileName(),
                                Math.min(kept, plan.clipCount()),
                                plan.clipCount(),
                                folder.dir());
                        stdout.flush();
                    }
                    folders.add(folder);
                    return folder;
                };
        List<MusicPiece> pieces;
        int bars = request.batch() * (plan == null ? 1 : plan.clipCount());
        try (StepProgressBars b = new StepProgressBars(bars, plan == null ? "image" : "clip")) {
            pieces = generation.run(stores, b);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
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
        return new MusicResults(files, folders);
    }

    /**
     * Writes every result's files, each atomically, with a line per result on {@code stdout}, then
     * removes the kept clips.
     */
    void write(PrintWriter stdout) throws IOException {
        for (ResultFiles r : files) {
            r.write();
            stdout.printf(Locale.ROOT, "wrote %s (%.2f s)%n", r.wav(), r.seconds());
        }
        stdout.flush();
        for (ClipFolder f : clipFolders) {
            f.delete();
        }
    }

    /**
     * Everything that decides piece {@code p}'s clips: a kept clip is reused only if it matches.
     */
    private static JsonObject recipe(
            GenerationRequest request,
            int p,
            ClipPlan plan,
            String schedulerClass,
            String model,
            JsonArray modelFiles) {
        JsonObject o = new JsonObject();
        o.addProperty("prompt", request.prompt());
        o.addProperty("negative_prompt", request.negativePrompt());
        o.addProperty("guidance", request.guidance());
        o.addProperty("steps", request.steps());
        o.addProperty("seed", request.seed() + p);
        o.addProperty("width", request.width());
        o.addProperty("height", request.height());
        o.addProperty("scheduler", schedulerClass);
        o.addProperty("model", model);
        o.add("model_files", modelFiles);
        o.addProperty("total_frames", plan.totalFrames());
        o.addProperty("overlap_px", plan.overlap());
        return o;
    }

    /**
     * Each file of the model folder (two levels: the index and the components' files) with its size
     * and modification time, so weights replaced at the same path make kept clips stale.
     */
    private static JsonArray fingerprint(Path model) throws IOException {
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

    private static ClipFolder openClipFolder(Path wav, JsonObject recipe) {
        String name = wav.getFileName().toString();
        Path dir =
                wav.resolveSibling(name.substring(0, name.length() - ".wav".length()) + ".clips");
        try {
            return ClipFolder.open(dir, recipe);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
