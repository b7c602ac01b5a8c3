package image2music.app.cli.generate;

import ai.djl.ndarray.NDManager;
import image2music.pipeline.TextToMusic;
import image2music.audio.longform.ClipPlan;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.models.diffusion.longform.LongformGenerator;
import image2music.models.diffusion.pipeline.GenerationRequest;
import image2music.models.diffusion.pipeline.PipelineFolder;
import image2music.models.diffusion.pipeline.StableDiffusionPipeline;
import image2music.models.nn.Engines;
import image2music.models.nn.StateDict;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
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

    /** UNets above this many parameters are "full size" (SD-1.5: 860 M). */
    private static final long LARGE_UNET = 100_000_000L;

    @Spec CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Pipeline.")
    Path model;

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
        overlap.checkLength(seconds);
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
        MusicResults outputs;
        try (NDManager m = Engines.newManager();
                StableDiffusionPipeline pipeline = PipelineFolder.load(model, m)) {
            double loadSeconds = seconds(start);
            warnIfSlow(pipeline, err);
            TextToMusic music = new TextToMusic(pipeline, params);
            ClipPlan plan = overlap.plan(music, request, seconds);
            outputs =
                    MusicResults.make(
                            "text-to-audio",
                            music,
                            request,
                            plan,
                            seconds,
                            (stores, progress) ->
                                    music.generate(request, plan, stores, progress, m),
                            out,
                            DiffusionOptions.absolute(model),
                            loadSeconds,
                            stdout,
                            meta -> {});
        }
        outputs.write(stdout);
        return 0;
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
