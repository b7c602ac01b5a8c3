package image2music.app.cli;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import image2music.audio.Audio;
import image2music.audio.longform.ClipPlan;
import image2music.audio.spectrogram.Spectrogram;
import image2music.audio.spectrogram.SpectrogramConverter;
import image2music.audio.spectrogram.SpectrogramImage;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.models.diffusion.longform.LongformGenerator;
import image2music.models.diffusion.longform.LongformResult;
import image2music.models.diffusion.pipeline.GeneratedImage;
import image2music.models.diffusion.pipeline.GenerationRequest;
import image2music.models.diffusion.pipeline.PipelineFolder;
import image2music.models.diffusion.pipeline.StableDiffusionPipeline;
import image2music.models.nn.Engines;
import image2music.models.nn.StateDict;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code text-to-audio}: a prompt to Riffusion spectrogram images with a diffusers pipeline folder,
 * then to audio. Writes {@code X.wav}, {@code X.png} (with the spectrogram EXIF tags) and {@code
 * X.json} (everything needed to reproduce it); a batch writes {@code X-000.wav}, {@code X-001.wav},
 * …. With {@code --seconds}, each result is one continuous piece of that length, made clip by clip
 * by {@link LongformGenerator}. Nothing is written until every image is generated.
 */
@Command(
        name = "text-to-audio",
        mixinStandardHelpOptions = true,
        description = {
            "Generates spectrogram images for a prompt with a Stable Diffusion pipeline folder"
                    + " (riffusion-model-v1 or our own) and turns them into audio.",
            "With --seconds longer than one clip, clips are generated left to right, each"
                    + " continuing the last (outpainting over --overlap), and joined into one"
                    + " piece inverted once.",
            "Full-size SD-1.5 runs on a CPU but slowly (several seconds per denoising step with"
                    + " guidance): a progress bar shows each step."
        })
public final class TextToAudioCommand implements Callable<Integer> {

    /** The longest piece: an hour, far beyond any use, but a bound on memory. */
    private static final double MAX_SECONDS = 3600;

    /** UNets above this many parameters are "full size" (SD-1.5: 860 M). */
    private static final long LARGE_UNET = 100_000_000L;

    @Spec CommandSpec spec;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "Prompt.")
    String prompt;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "FILE",
            description = "Output WAV (X.wav; X.png and X.json are written beside it).")
    Path out;

    @Option(
            names = "--batch",
            paramLabel = "N",
            defaultValue = "1",
            description = "Images to generate, seeds seed, seed+1, … (default: 1).")
    int batch;

    @Option(
            names = "--seconds",
            paramLabel = "S",
            description =
                    "Length of each piece; longer than one clip of --width makes one continuous"
                            + " piece of clips, each continuing the last (default: one clip).")
    Double seconds;

    @Mixin OverlapOptions overlap;

    @Mixin DiffusionOptions diffusion;

    @Mixin GuidanceOptions sampling;

    @Override
    public Integer call() throws IOException {
        if (!ResultFiles.isWav(out)) {
            throw new ParameterException(spec.commandLine(), "--out must end in .wav: " + out);
        }
        if (seconds != null && !(seconds > 0 && seconds <= MAX_SECONDS)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--seconds must be in (0, " + MAX_SECONDS + "], got " + seconds);
        }
        if (seconds == null && overlap.seconds != null) {
            throw new ParameterException(
                    spec.commandLine(), "--overlap applies to long pieces: give --seconds too");
        }
        SpectrogramParams params = SpectrogramParams.defaults();
        GenerationRequest request;
        try {
            request =
                    diffusion.request(
                            prompt,
                            sampling.guidance,
                            sampling.seed(),
                            params.numFrequencies(),
                            batch);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        diffusion.engine.start();
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        List<ResultFiles> outputs;
        try (NDManager m = Engines.newManager();
                StableDiffusionPipeline pipeline = PipelineFolder.load(diffusion.model, m)) {
            double loadSeconds = seconds(start);
            String schedulerClass = pipeline.schedulerClass(diffusion.scheduler);
            warnIfSlow(pipeline, err);
            if (seconds != null) {
                outputs = pieces(pipeline, request, params, schedulerClass, loadSeconds, m);
            } else {
                outputs = clips(pipeline, request, params, schedulerClass, loadSeconds, m);
            }
        }
        // Written only once everything is ready, so a failure leaves no partial batch.
        for (ResultFiles o : outputs) {
            o.write();
            stdout.printf(Locale.ROOT, "wrote %s (%.2f s)%n", o.wav(), o.seconds());
        }
        stdout.flush();
        return 0;
    }

    /** One clip per seed. */
    private List<ResultFiles> clips(
            StableDiffusionPipeline pipeline,
            GenerationRequest request,
            SpectrogramParams params,
            String schedulerClass,
            double loadSeconds,
            NDManager m)
            throws IOException {
        List<GeneratedImage> images;
        try (StepProgressBars bars = new StepProgressBars(request.batch(), "image")) {
            images = pipeline.generate(request, bars, m);
        }
        SpectrogramConverter converter = new SpectrogramConverter(params);
        List<ResultFiles> outputs = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            GeneratedImage g = images.get(i);
            long audioStart = System.nanoTime();
            Spectrogram s =
                    SpectrogramImage.toSpectrogram(
                            g.image(), params, SpectrogramImage.DEFAULT_MAX_VALUE);
            Audio audio = converter.audioFromSpectrogram(s, g.seed());
            double audioSeconds = seconds(audioStart);
            JsonObject meta =
                    sidecar(request, g, i, schedulerClass, loadSeconds, audioSeconds, audio);
            outputs.add(new ResultFiles(batchFile(i), g.image(), params, meta, audio));
        }
        return outputs;
    }

    /**
     * One piece of {@code --seconds} per seed: clips on a {@link ClipPlan}, each outpainted from
     * the previous, stitched and inverted once.
     */
    private List<ResultFiles> pieces(
            StableDiffusionPipeline pipeline,
            GenerationRequest request,
            SpectrogramParams params,
            String schedulerClass,
            double loadSeconds,
            NDManager m)
            throws IOException {
        int overlapPx = overlap.pixels(request.width(), pipeline.pixelsPerLatent(), params);
        ClipPlan plan = ClipPlan.forSeconds(seconds, request.width(), overlapPx, params);
        // Fail on a width the model cannot take before the first clip, not after.
        pipeline.latentShape(request.width(), request.height());
        LongformGenerator generator = new LongformGenerator(pipeline, params);
        SpectrogramConverter converter = new SpectrogramConverter(params);
        List<ResultFiles> outputs = new ArrayList<>();
        int clips = plan.clipCount();
        try (StepProgressBars bars = new StepProgressBars(batch * clips, "clip")) {
            for (int p = 0; p < batch; p++) {
                int first = p * clips;
                GenerationRequest one =
                        new GenerationRequest(
                                request.prompt(),
                                request.negativePrompt(),
                                request.guidance(),
                                request.steps(),
                                request.seed() + p,
                                request.width(),
                                request.height(),
                                request.scheduler(),
                                1);
                LongformResult piece =
                        generator.generate(
                                one,
                                plan,
                                (clip, step, total) -> bars.stepDone(first + clip, step, total),
                                m);
                long audioStart = System.nanoTime();
                Audio audio = converter.audioFromSpectrogram(piece.spectrogram(), one.seed());
                double audioSeconds = seconds(audioStart);
                GeneratedImage whole =
                        new GeneratedImage(piece.image(), one.seed(), piece.seconds());
                JsonObject meta =
                        sidecar(one, whole, p, schedulerClass, loadSeconds, audioSeconds, audio);
                meta.addProperty("seconds", seconds);
                OverlapOptions.describe(meta, piece, params);
                outputs.add(new ResultFiles(batchFile(p), piece.image(), params, meta, audio));
            }
        }
        return outputs;
    }

    /** {@code X.wav}, or {@code X-00p.wav} in a batch. */
    private Path batchFile(int index) {
        Path base = out.toAbsolutePath();
        String name = base.getFileName().toString();
        String stem = name.substring(0, name.length() - 4);
        return base.resolveSibling(
                batch == 1 ? stem + ".wav" : String.format("%s-%03d.wav", stem, index));
    }

    private JsonObject sidecar(
            GenerationRequest r,
            GeneratedImage g,
            int index,
            String schedulerClass,
            double loadSeconds,
            double audioSeconds,
            Audio audio) {
        JsonObject o = new JsonObject();
        o.addProperty("command", "text-to-audio");
        o.addProperty("prompt", r.prompt());
        o.addProperty("negative_prompt", r.negativePrompt());
        o.addProperty("seed", g.seed());
        o.addProperty("batch_index", index);
        o.addProperty("steps", r.steps());
        o.addProperty("guidance", r.guidance());
        o.addProperty("scheduler", schedulerClass);
        o.addProperty("width", r.width());
        o.addProperty("height", r.height());
        o.addProperty("model", diffusion.modelPath());
        o.addProperty("sample_rate", audio.sampleRate());
        o.addProperty("duration_s", audio.durationSeconds());
        JsonObject t = new JsonObject();
        t.addProperty("load_s", loadSeconds);
        t.addProperty("generate_s", g.seconds());
        t.addProperty("audio_s", audioSeconds);
        o.add("timings", t);
        return o;
    }

    private void warnIfSlow(StableDiffusionPipeline pipeline, PrintWriter err) {
        long params = StateDict.parameterCount(pipeline.unet());
        if (params > LARGE_UNET && !Engines.device().isGpu()) {
            err.printf(
                    Locale.ROOT,
                    "note: a full-size UNet (%.0f M parameters) on the CPU: expect several seconds"
                            + " per denoising step (about 9 s per guided SD-1.5 step on 2 cores),"
                            + " %d steps per image%n",
                    params / 1e6,
                    diffusion.steps);
            err.flush();
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
