package image2music.app.cli.generate;

import image2music.models.diffusion.pipeline.InterpolationEndpoint;
import image2music.pipeline.DiffusionSettings;
import image2music.pipeline.InterpolateRequest;
import image2music.pipeline.InterpolationService;
import image2music.pipeline.progress.Cancellation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code interpolate}: clips morphing from one prompt (and seed, guidance, strength) to another,
 * Riffusion's way ({@link InterpolationService}), then one piece of them all. Writes {@code
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
            defaultValue = "" + DiffusionSettings.DEFAULT_GUIDANCE,
            description = "Guidance scale of the first end (default: ${DEFAULT-VALUE}).")
    double fromGuidance;

    @Option(
            names = "--to-guidance",
            paramLabel = "SCALE",
            defaultValue = "" + DiffusionSettings.DEFAULT_GUIDANCE,
            description = "Guidance scale of the last end (default: ${DEFAULT-VALUE}).")
    double toGuidance;

    @Option(
            names = "--from-strength",
            paramLabel = "S",
            defaultValue = "" + InterpolateRequest.DEFAULT_STRENGTH,
            description =
                    "Denoising strength 0-1 of the first end, with an init: only the last S of the"
                            + " --steps run (default:"
                            + " ${DEFAULT-VALUE}).")
    double fromStrength;

    @Option(
            names = "--to-strength",
            paramLabel = "S",
            defaultValue = "" + InterpolateRequest.DEFAULT_STRENGTH,
            description =
                    "Denoising strength 0-1 of the last end, with an init: only the last S of the"
                            + " --steps run (default:"
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
            defaultValue = "" + InterpolateRequest.DEFAULT_OVERLAP,
            description = "Seconds each join cross-fades over (default: ${DEFAULT-VALUE}).")
    double overlap;

    @Option(
            names = "--force",
            description =
                    "Write the joined piece even when it would be longer than an hour or larger"
                            + " than 1 GiB.")
    boolean force;

    @Mixin DiffusionOptions diffusion;

    @Override
    public Integer call() throws IOException {
        InterpolationEndpoint from =
                InterpolateRequest.endpoint(
                        "from", fromPrompt, seed(fromSeed), fromGuidance, fromStrength);
        InterpolationEndpoint to =
                InterpolateRequest.endpoint("to", toPrompt, seed(toSeed), toGuidance, toStrength);
        InterpolateRequest request =
                new InterpolateRequest(
                        model,
                        from,
                        to,
                        stepsBetween,
                        init == null ? null : init.image,
                        init == null ? null : init.audio,
                        mask,
                        overlap,
                        diffusion.settings(),
                        out,
                        force);
        diffusion.engine.start();
        try (ProgressPrinter progress =
                new ProgressPrinter(spec.commandLine().getOut(), spec.commandLine().getErr())) {
            new InterpolationService(progress, new Cancellation()).run(request);
        }
        return 0;
    }

    private static long seed(Long given) {
        return given != null ? given : DiffusionOptions.randomSeed();
    }
}
