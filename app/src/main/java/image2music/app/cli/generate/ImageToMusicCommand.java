package image2music.app.cli.generate;

import image2music.pipeline.ImageToMusicRequest;
import image2music.pipeline.ImageToMusicService;
import image2music.pipeline.demo.DemoModels;
import image2music.pipeline.progress.Cancellation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code image-to-music}: the whole pipeline ({@link ImageToMusicService}). The tagger's mood
 * labels for a picture become the prompt (the caption form the generator was trained on), the
 * generator makes spectrogram images for it, one clip or, with {@code --seconds}, one continuous
 * long piece, and they are inverted to audio. Writes {@code X.wav}, {@code X.png} and {@code
 * X.json} (labels, prompt and every setting); nothing until all results are ready.
 */
@Command(
        name = "image-to-music",
        mixinStandardHelpOptions = true,
        description = {
            "Turns a picture into music: a ViT tagger's mood labels for it become the prompt of a"
                    + " spectrogram generator (a Stable Diffusion pipeline folder), whose images"
                    + " are turned into audio.",
            "--seconds longer than one clip of --width makes one continuous piece, clip by clip."
        })
public final class ImageToMusicCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--tagger",
            paramLabel = "DIR",
            description =
                    "ViTForImageClassification folder (train-tagger's output or HF's; default:"
                            + " the demo's, demo-output/models/tagger).")
    Path tagger;

    @Option(
            names = "--generator",
            paramLabel = "DIR",
            description =
                    "Stable Diffusion pipeline folder (riffusion-model-v1 or ours; default: the"
                            + " demo's, demo-output/models/generator).")
    Path generator;

    @Option(names = "--image", required = true, paramLabel = "FILE", description = "Picture.")
    Path image;

    @Mixin LabelSelectionOptions selection;

    @Mixin MusicOptions music;

    @Override
    public Integer call() throws IOException {
        DemoModels models = DemoModels.orDefault(tagger, generator);
        tagger = models.tagger();
        generator = models.generator();
        ImageToMusicRequest request =
                new ImageToMusicRequest(
                        tagger,
                        image,
                        selection.topK,
                        selection.threshold,
                        music.settings(generator));
        music.diffusion.engine.start();
        try (ProgressPrinter progress =
                new ProgressPrinter(spec.commandLine().getOut(), spec.commandLine().getErr())) {
            new ImageToMusicService(progress, new Cancellation()).run(request);
        }
        return 0;
    }
}
