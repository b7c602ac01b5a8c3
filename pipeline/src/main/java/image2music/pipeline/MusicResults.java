package image2music.pipeline;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import image2music.audio.longform.ClipPlan;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.core.io.OutputLimits;
import image2music.models.diffusion.longform.ClipFolder;
import image2music.models.diffusion.longform.ClipStore;
import image2music.models.diffusion.pipeline.GenerationRequest;
import image2music.pipeline.progress.Cancellation;
import image2music.pipeline.progress.ProgressEvent;
import image2music.pipeline.progress.ProgressListener;
import image2music.pipeline.progress.StepReporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * The shared tail of text to music and image to music: generate, encode each result's files with
 * its sidecar, and write them only once all are ready, so a failure or a cancellation leaves no
 * partial batch. A long piece keeps its finished clips in {@code X.clips/} beside its WAV until the
 * piece is written, so a run that stops (an error, Ctrl-C, a reboot, a cancellation) goes on from
 * there when run again with the same settings ({@link Recipes}).
 */
final class MusicResults {

    private final List<ResultFiles> files;
    private final List<ClipFolder> clipFolders;

    private MusicResults(List<ResultFiles> files, List<ClipFolder> clipFolders) {
        this.files = files;
        this.clipFolders = clipFolders;
    }

    /**
     * The results of {@code request} (its prompt final), encoded but not yet written.
     *
     * @param command the verb the sidecars name
     * @param extra adds the use case's own fields to each sidecar
     */
    static MusicResults make(
            String command,
            TextToMusic music,
            GenerationRequest request,
            MusicSettings settings,
            double loadSeconds,
            Consumer<JsonObject> extra,
            ProgressListener listener,
            Cancellation cancellation,
            NDManager manager)
            throws IOException {
        SpectrogramParams format = music.params();
        OutputLimits.checkWav(
                settings.out(),
                settings.seconds() != null
                        ? settings.seconds()
                        : (double) request.width() * format.hopLength() / format.sampleRate(),
                format.sampleRate(),
                format.channels(),
                settings.seconds() != null
                        ? "--seconds " + settings.seconds()
                        : "--width " + request.width() + " px",
                settings.force());
        int pixelsPerLatent = music.pipeline().pixelsPerLatent();
        ClipPlan plan =
                settings.seconds() == null
                        ? null
                        : music.plan(
                                request,
                                settings.seconds(),
                                Overlap.pixels(
                                        settings.overlapSeconds(),
                                        request.width(),
                                        pixelsPerLatent,
                                        music.params()));
        String schedulerClass = music.pipeline().schedulerClass(request.scheduler());
        // Read once for all pieces of a batch, and only where clips are kept.
        JsonArray modelFiles =
                plan == null
                        ? null
                        : Recipes.modelFiles(settings.model(), settings.diffusion().loras());
        List<ClipFolder> folders = new ArrayList<>();
        IntFunction<ClipStore> stores =
                p -> {
                    Path wav = ResultFiles.numbered(settings.out(), request.batch(), p);
                    ClipFolder folder;
                    try {
                        folder =
                                Recipes.clipFolder(
                                        wav,
                                        recipe(
                                                request,
                                                p,
                                                plan,
                                                schedulerClass,
                                                settings.model(),
                                                modelFiles));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    int kept = folder.finished();
                    if (kept > 0) {
                        listener.on(
                                new ProgressEvent.Resumed(
                                        wav,
                                        Math.min(kept, plan.clipCount()),
                                        plan.clipCount(),
                                        folder.dir()));
                    }
                    folders.add(folder);
                    return folder;
                };
        int clips = request.batch() * (plan == null ? 1 : plan.clipCount());
        StepReporter steps =
                new StepReporter(clips, plan == null ? "image" : "clip", listener, cancellation);
        List<MusicPiece> pieces;
        try {
            pieces = music.generate(request, plan, stores, steps, manager);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        steps.finish();
        cancellation.check();
        List<ResultFiles> files = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            MusicPiece piece = pieces.get(i);
            JsonObject meta =
                    Sidecars.music(
                            command,
                            request,
                            piece,
                            i,
                            schedulerClass,
                            settings.model(),
                            settings.seconds(),
                            loadSeconds,
                            music.params());
            Sidecars.loras(meta, settings.diffusion().loras());
            extra.accept(meta);
            files.add(
                    new ResultFiles(
                            ResultFiles.numbered(settings.out(), request.batch(), i),
                            piece.image(),
                            music.params(),
                            meta,
                            piece.audio()));
        }
        return new MusicResults(files, folders);
    }

    /**
     * Writes every result's files, each atomically, telling {@code listener} of each, then removes
     * the kept clips.
     */
    GenerationResult write(ProgressListener listener) throws IOException {
        List<GenerationResult.Output> outputs = new ArrayList<>();
        for (ResultFiles r : files) {
            r.write();
            listener.on(new ProgressEvent.Written(r.wav(), r.seconds(), null, false));
            outputs.add(new GenerationResult.Output(r.wav(), r.seconds(), r.sidecar()));
        }
        for (ClipFolder f : clipFolders) {
            f.delete();
        }
        listener.on(new ProgressEvent.Finished());
        return new GenerationResult(outputs);
    }

    /**
     * Everything that decides piece {@code p}'s clips: a kept clip is reused only if it matches.
     */
    private static JsonObject recipe(
            GenerationRequest request,
            int p,
            ClipPlan plan,
            String schedulerClass,
            Path model,
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
        o.addProperty("model", Sidecars.absolute(model));
        o.add("model_files", modelFiles);
        o.addProperty("total_frames", plan.totalFrames());
        o.addProperty("overlap_px", plan.overlap());
        return o;
    }
}
