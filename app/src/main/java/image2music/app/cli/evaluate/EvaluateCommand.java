package image2music.app.cli.evaluate;

import image2music.app.cli.EngineOptions;
import image2music.pipeline.DiffusionSettings;
import image2music.pipeline.evaluate.Evaluation;
import image2music.pipeline.evaluate.EvaluationRequest;
import image2music.pipeline.evaluate.EvaluationService;
import image2music.pipeline.progress.Cancellation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code evaluate}: how well a generator's music fits the mood asked for ({@link
 * EvaluationService}).
 */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = {
            "Measures a spectrogram generator against its dataset with a mood classifier (a small"
                    + " ViT over spectrogram windows, trained on the dataset unless --classifier is"
                    + " given): CAS (generated clips heard as the mood asked for), a FAD-style"
                    + " Fréchet distance to real music, diversity and memorisation; with --tagger"
                    + " and --pictures, also picture-to-music agreement.",
            "Writes FILE.json and prints a table; the classifier and clips go to --work and are"
                    + " reused by a rerun."
        })
public final class EvaluateCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--generator",
            required = true,
            paramLabel = "DIR",
            description = "Stable Diffusion pipeline folder to evaluate.")
    Path generator;

    @Option(
            names = "--data",
            required = true,
            paramLabel = "DIR",
            description = "Its captioned spectrogram dataset (build-dataset's output).")
    Path data;

    @Option(
            names = "--classifier",
            paramLabel = "DIR",
            description = "A mood classifier folder to use instead of training one.")
    Path classifier;

    @Option(
            names = "--classifier-steps",
            paramLabel = "N",
            defaultValue = "" + EvaluationRequest.DEFAULT_CLASSIFIER_STEPS,
            description =
                    "Optimiser steps of the classifier trained here (default: ${DEFAULT-VALUE}).")
    int classifierSteps;

    @Option(
            names = "--per-mood",
            paramLabel = "K",
            defaultValue = "" + EvaluationRequest.DEFAULT_PER_CLASS,
            description = "Generated clips per mood (default: ${DEFAULT-VALUE}).")
    int perMood;

    @Option(
            names = "--steps",
            paramLabel = "N",
            defaultValue = "" + EvaluationRequest.DEFAULT_STEPS,
            description = "Denoising steps per clip (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(
            names = "--guidance",
            paramLabel = "SCALE",
            defaultValue = "" + DiffusionSettings.DEFAULT_GUIDANCE,
            description =
                    "Classifier-free guidance scale of the generated music; 1 skips it (default:"
                            + " ${DEFAULT-VALUE}).")
    double guidance;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "0",
            description = "Split, classifier and sampling seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--tagger",
            paramLabel = "DIR",
            description = "With --pictures: the tagger that turns pictures into prompts.")
    Path tagger;

    @Option(
            names = "--pictures",
            paramLabel = "DIR",
            description = "Label folders <mood>/<picture> to turn into music and classify.")
    Path pictures;

    @Option(
            names = "--seconds",
            paramLabel = "S",
            defaultValue = "5",
            description = "Length of each picture's music (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(
            names = "--out",
            paramLabel = "FILE.json",
            defaultValue = "evaluation.json",
            description = "The figures (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(
            names = "--work",
            paramLabel = "DIR",
            description = "Classifier and clips (default: FILE's name without .json).")
    Path work;

    @Mixin EngineOptions engine;

    @Override
    public Integer call() throws IOException {
        if ((tagger == null) != (pictures == null)) {
            throw new ParameterException(spec.commandLine(), "--tagger and --pictures go together");
        }
        if (!out.getFileName().toString().endsWith(".json")) {
            throw new ParameterException(
                    spec.commandLine(), "--out must name a .json file: " + out);
        }
        Path workDir =
                work != null
                        ? work
                        : out.resolveSibling(
                                out.getFileName().toString().replaceFirst("\\.json$", ""));
        engine.start();
        PrintWriter o = spec.commandLine().getOut();
        EvaluationService service =
                new EvaluationService(
                        line -> {
                            o.println(line);
                            o.flush();
                        },
                        new Cancellation());
        List<EvaluationRequest.PictureMusic> e2e =
                tagger == null
                        ? List.of()
                        : service.musicForPictures(
                                tagger, pictures, generator, seconds, steps, guidance, seed,
                                workDir);
        Evaluation e =
                service.run(
                        new EvaluationRequest(
                                generator,
                                data,
                                classifier,
                                classifierSteps,
                                perMood,
                                steps,
                                guidance,
                                seed,
                                workDir,
                                e2e));
        EvaluationService.write(e, out);
        o.print(e.table());
        o.println("Written: " + out);
        o.flush();
        return 0;
    }
}
