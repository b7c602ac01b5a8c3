package image2music.app.cli.generate;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import image2music.audio.Audio;
import image2music.audio.longform.ClipPlan;
import image2music.audio.longform.SpectrogramStitcher;
import image2music.audio.spectrogram.Spectrogram;
import image2music.audio.spectrogram.SpectrogramConverter;
import image2music.audio.spectrogram.SpectrogramImage;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.models.diffusion.guidance.InpaintMask;
import image2music.models.diffusion.guidance.Strength;
import image2music.models.diffusion.pipeline.GenerationRequest;
import image2music.models.diffusion.pipeline.InterpolatedImage;
import image2music.models.diffusion.pipeline.InterpolationEndpoint;
import image2music.models.diffusion.pipeline.InterpolationRequest;
import image2music.models.diffusion.pipeline.PipelineFolder;
import image2music.models.diffusion.pipeline.PromptInterpolation;
import image2music.models.diffusion.pipeline.StableDiffusionPipeline;
import image2music.models.nn.Engines;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code interpolate}: clips morphing from one prompt (and seed, guidance, strength) to another,
 * Riffusion's way ({@link PromptInterpolation}), then one piece of them all. Writes {@code
 * DIR/clip-000.wav} … (each with its PNG and a JSON that reproduces it alone) as each clip is done,
 * then {@code DIR/interpolation.wav} (+ PNG, JSON): the clip spectrograms cross-faded over {@code
 * --overlap} and inverted once, so the joins have no phase jumps.
 *
 * <p>Every input is checked before anything is written. A clip whose files are already there with a
 * sidecar of the same settings is read back instead of generated again, so an interrupted run
 * resumes where it stopped.
 */
@Command(
        name = "interpolate",
        mixinStandardHelpOptions = true,
        description = {
            "Generates clips between two prompts (text embeddings lerped, seeds' noise slerped,"
                    + " guidance and strength lerped), optionally img2img from a seed spectrogram,"
                    + " and joins them into one cross-faded WAV.",
            "N clips between the ends make N+2 clips, at alphas 0, 1/(N+1), ..., 1."
        })
public final class InterpolateCommand implements Callable<Integer> {

    /** Stem of the joined piece's files. */
    static final String JOINED = "interpolation";

    @Spec CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Pipeline.")
    Path model;

    @Option(names = "--from", required = true, paramLabel = "TEXT", description = "First prompt.")
    String fromPrompt;

    @Option(names = "--to", required = true, paramLabel = "TEXT", description = "Last prompt.")
    String toPrompt;

    @Option(
            names = "--steps-between",
            required = true,
            paramLabel = "N",
            description = "Clips between the two ends (0: just the ends).")
    int stepsBetween;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Output folder (created if missing).")
    Path out;

    @Option(
            names = "--from-seed",
            paramLabel = "N",
            description = "Seed of the first end (default: random, recorded in the JSON).")
    Long fromSeed;

    @Option(
            names = "--to-seed",
            paramLabel = "N",
            description = "Seed of the last end (default: random, recorded in the JSON).")
    Long toSeed;

    @Option(
            names = "--from-guidance",
            paramLabel = "SCALE",
            defaultValue = "7.0",
            description = "Guidance scale of the first end (default: ${DEFAULT-VALUE}).")
    double fromGuidance;

    @Option(
            names = "--to-guidance",
            paramLabel = "SCALE",
            defaultValue = "7.0",
            description = "Guidance scale of the last end (default: ${DEFAULT-VALUE}).")
    double toGuidance;

    @Option(
            names = "--from-strength",
            paramLabel = "S",
            defaultValue = "0.75",
            description =
                    "Denoising strength 0-1 of the first end, with an init (default:"
                            + " ${DEFAULT-VALUE}).")
    double fromStrength;

    @Option(
            names = "--to-strength",
            paramLabel = "S",
            defaultValue = "0.75",
            description =
                    "Denoising strength 0-1 of the last end, with an init (default:"
                            + " ${DEFAULT-VALUE}).")
    double toStrength;

    @ArgGroup(exclusive = true)
    InitSource init;

    /** Where the seed spectrogram comes from: an image or audio, not both. */
    static final class InitSource {
        @Option(
                names = "--init-image",
                paramLabel = "PNG",
                description = "Seed spectrogram image every clip starts from (img2img).")
        Path image;

        @Option(
                names = "--init-audio",
                paramLabel = "FILE",
                description = "Audio whose first clip is the seed spectrogram (img2img).")
        Path audio;
    }

    @Option(
            names = "--mask",
            paramLabel = "PNG",
            description = "With an init: regenerate only its white pixels, keep the rest.")
    Path mask;

    @Option(
            names = "--overlap",
            paramLabel = "S",
            defaultValue = "1.0",
            description = "Seconds each join cross-fades over (default: ${DEFAULT-VALUE}).")
    double overlap;

    @Mixin DiffusionOptions diffusion;

    @Override
    public Integer call() throws IOException {
        SpectrogramParams params = SpectrogramParams.defaults();
        double[] alphas = alphas();
        InterpolationEndpoint from =
                endpoint("from", fromPrompt, fromSeed, fromGuidance, fromStrength);
        InterpolationEndpoint to = endpoint("to", toPrompt, toSeed, toGuidance, toStrength);
        InitSpectrogram initSpectrogram = readInit(params);
        int clipWidth = clipWidth(initSpectrogram);
        int height = params.numFrequencies();
        InpaintMask inpaint = readMask(initSpectrogram, clipWidth, height);
        ClipPlan plan = plan(clipWidth, alphas.length, params);
        InterpolationRequest request =
                new InterpolationRequest(
                        from,
                        to,
                        diffusion.negativePrompt,
                        diffusion.steps,
                        clipWidth,
                        height,
                        diffusion.scheduler);
        diffusion.engine.start();
        PrintWriter stdout = spec.commandLine().getOut();
        long start = System.nanoTime();
        try (NDManager m = Engines.newManager();
                StableDiffusionPipeline pipeline = PipelineFolder.load(model, m)) {
            double loadSeconds = seconds(start);
            PromptInterpolation interpolation =
                    new PromptInterpolation(
                            pipeline,
                            request,
                            initSpectrogram == null ? null : initSpectrogram.image(),
                            inpaint);
            InterpolationSidecars sidecars =
                    new InterpolationSidecars(
                            request,
                            pipeline.schedulerClass(diffusion.scheduler),
                            model,
                            initSpectrogram,
                            mask,
                            alphas);
            // Everything is checked: from here on, output.
            Files.createDirectories(out);
            SpectrogramConverter converter = new SpectrogramConverter(params);
            List<Spectrogram> clips = new ArrayList<>();
            try (StepProgressBars bars = new StepProgressBars(alphas.length, "clip")) {
                for (int i = 0; i < alphas.length; i++) {
                    Path wav = clipWav(i);
                    JsonObject recipe = sidecars.clip(i, interpolation);
                    BufferedImage image =
                            InterpolationSidecars.reusable(wav, recipe, clipWidth, height);
                    if (image != null) {
                        stdout.printf(Locale.ROOT, "kept %s (already done)%n", wav);
                    } else {
                        int index = i;
                        InterpolatedImage clip =
                                interpolation.generate(
                                        alphas[i], (img, s, n) -> bars.stepDone(index, s, n), m);
                        image = clip.image();
                        long audioStart = System.nanoTime();
                        Audio audio =
                                converter.audioFromSpectrogram(
                                        spectrogram(image, params), sidecars.griffinLimSeed());
                        JsonObject meta =
                                InterpolationSidecars.withResults(
                                        recipe,
                                        audio,
                                        loadSeconds,
                                        clip.seconds(),
                                        seconds(audioStart));
                        ResultFiles files = new ResultFiles(wav, image, params, meta, audio);
                        // The WAV goes last: without it a half-replaced clip is never kept on a
                        // rerun, and a joined piece of other clips must not outlive them.
                        Files.deleteIfExists(wav);
                        Files.deleteIfExists(out.resolve(JOINED + ".wav"));
                        files.write();
                        stdout.printf(
                                Locale.ROOT,
                                "wrote %s (alpha %.3f, %.2f s)%n",
                                wav,
                                alphas[i],
                                files.seconds());
                    }
                    stdout.flush();
                    clips.add(spectrogram(image, params));
                }
            }
            long joinStart = System.nanoTime();
            Spectrogram joined = new SpectrogramStitcher(plan).stitch(clips);
            Audio audio = converter.audioFromSpectrogram(joined, sidecars.griffinLimSeed());
            JsonObject meta = sidecars.joined(plan, params, audio, seconds(joinStart));
            ResultFiles files =
                    new ResultFiles(
                            out.resolve(JOINED + ".wav"),
                            // On the clips' own fixed scale, which the PNG's EXIF states.
                            SpectrogramImage.fromSpectrogram(
                                    joined, SpectrogramImage.DEFAULT_MAX_VALUE),
                            params,
                            meta,
                            audio);
            files.write();
            stdout.printf(Locale.ROOT, "wrote %s (%.2f s)%n", files.wav(), files.seconds());
        }
        stdout.flush();
        return 0;
    }

    private double[] alphas() {
        if (stepsBetween < 0) {
            throw new IllegalArgumentException("--steps-between must be >= 0, got " + stepsBetween);
        }
        return InterpolationRequest.alphas(stepsBetween);
    }

    private static InterpolationEndpoint endpoint(
            String end, String prompt, Long seed, double guidance, double strength) {
        if (!(strength >= 0 && strength <= 1)) {
            throw new IllegalArgumentException(
                    "--" + end + "-strength must be in [0, 1], got " + strength);
        }
        if (!(guidance >= 0) || Double.isInfinite(guidance)) {
            throw new IllegalArgumentException(
                    "--" + end + "-guidance must be >= 0, got " + guidance);
        }
        long s = seed != null ? seed : DiffusionOptions.randomSeed();
        return new InterpolationEndpoint(prompt, s, guidance, new Strength(strength));
    }

    private InitSpectrogram readInit(SpectrogramParams params) throws IOException {
        if (init == null) {
            return null;
        }
        if (init.image != null) {
            return InitSpectrogram.fromImage(init.image, diffusion.width, params);
        }
        return InitSpectrogram.fromAudio(init.audio, diffusion.width(), params);
    }

    private int clipWidth(InitSpectrogram initSpectrogram) {
        return diffusion.width(
                initSpectrogram != null
                        ? initSpectrogram.image().getWidth()
                        : GenerationRequest.DEFAULT_SIZE);
    }

    private InpaintMask readMask(InitSpectrogram initSpectrogram, int w, int h) throws IOException {
        if (mask == null) {
            return null;
        }
        if (initSpectrogram == null) {
            throw new IllegalArgumentException(
                    "--mask " + mask + " needs --init-image or --init-audio to keep pixels from");
        }
        return InpaintMask.read(mask, w, h);
    }

    /**
     * Clips of {@code w} frames sharing {@code round(overlap / hop) + 1} frames, i.e. {@code
     * --overlap} seconds of audio: the piece lasts {@code n · clip − (n − 1) · overlap}.
     */
    private ClipPlan plan(int w, int n, SpectrogramParams params) {
        if (!(overlap > 0) || Double.isInfinite(overlap)) {
            throw new IllegalArgumentException("--overlap must be > 0 s, got " + overlap);
        }
        long shared = Math.round(overlap * params.sampleRate() / params.hopLength()) + 1;
        if (shared >= w) {
            throw new IllegalArgumentException(
                    String.format(
                            Locale.ROOT,
                            "--overlap %.2f s (%d frames) must be shorter than a %d-px clip",
                            overlap,
                            shared,
                            w));
        }
        int stride = w - (int) shared;
        return new ClipPlan(w + (n - 1) * stride, w, (int) shared);
    }

    private Path clipWav(int i) {
        return out.resolve(clipName(i) + ".wav");
    }

    /** The stem of clip {@code i}'s files. */
    static String clipName(int i) {
        return String.format(Locale.ROOT, "clip-%03d", i);
    }

    private static Spectrogram spectrogram(BufferedImage image, SpectrogramParams params) {
        return SpectrogramImage.toSpectrogram(image, params, SpectrogramImage.DEFAULT_MAX_VALUE);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
