package image2music.app.cli.generate;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import image2music.pipeline.ImageTags;
import image2music.pipeline.ImageToMusic;
import image2music.pipeline.TextToMusic;
import image2music.audio.longform.ClipPlan;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.models.diffusion.pipeline.GenerationRequest;
import image2music.models.diffusion.pipeline.PipelineFolder;
import image2music.models.diffusion.pipeline.StableDiffusionPipeline;
import image2music.models.nn.Engines;
import image2music.models.vit.LabelScore;
import image2music.models.vit.RgbImage;
import image2music.models.vit.RgbImages;
import image2music.models.vit.ViTTagger;
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
 * {@code image-to-music}: the whole pipeline. The tagger's mood labels for a picture become the
 * prompt (the caption form the generator was trained on), the generator makes spectrogram images
 * for it, one clip or, with {@code --seconds}, one continuous long piece, and they are inverted to
 * audio. Writes {@code X.wav}, {@code X.png} and {@code X.json} (labels, prompt and every setting);
 * nothing until all results are ready.
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
            required = true,
            paramLabel = "DIR",
            description = "ViTForImageClassification folder (train-tagger's output or HF's).")
    Path tagger;

    @Option(
            names = "--generator",
            required = true,
            paramLabel = "DIR",
            description = "Stable Diffusion pipeline folder (riffusion-model-v1 or ours).")
    Path generator;

    @Option(names = "--image", required = true, paramLabel = "FILE", description = "Picture.")
    Path image;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "FILE",
            description = "Output WAV (X.wav; X.png and X.json are written beside it).")
    Path out;

    @Option(
            names = "--seconds",
            paramLabel = "S",
            description =
                    "Length of the music; longer than one clip of --width makes one continuous"
                            + " piece (default: one clip).")
    Double seconds;

    @Option(
            names = "--batch",
            paramLabel = "N",
            defaultValue = "1",
            description = "Results to make, seeds seed, seed+1, … (default: 1).")
    int batch;

    @Mixin LabelSelectionOptions selection;

    @Mixin OverlapOptions overlap;

    @Mixin DiffusionOptions diffusion;

    @Mixin GuidanceOptions sampling;

    @Override
    public Integer call() throws IOException {
        if (!ResultFiles.isWav(out)) {
            throw new ParameterException(spec.commandLine(), "--out must end in .wav: " + out);
        }
        overlap.checkLength(seconds);
        selection.check();
        SpectrogramParams params = SpectrogramParams.defaults();
        GenerationRequest template;
        try {
            // The prompt is the tags' caption, set once the picture is tagged.
            template =
                    diffusion.request(
                            "", sampling.guidance, sampling.seed(), params.numFrequencies(), batch);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        // The picture first: a bad file fails before any model loads.
        RgbImage picture = RgbImages.read(image);
        diffusion.engine.start();
        PrintWriter stdout = spec.commandLine().getOut();
        long start = System.nanoTime();
        MusicResults outputs;
        try (ViTTagger vit = ViTTagger.open(tagger);
                NDManager m = Engines.newManager();
                StableDiffusionPipeline pipeline = PipelineFolder.load(generator, m)) {
            double loadSeconds = (System.nanoTime() - start) / 1e9;
            TextToMusic music = new TextToMusic(pipeline, params);
            ImageToMusic pictureToMusic = new ImageToMusic(vit, music);
            ImageTags tags = pictureToMusic.tags(picture, selection.topK, selection.threshold);
            stdout.println("labels: " + describe(tags.labels()));
            stdout.println("prompt: " + tags.prompt());
            stdout.flush();
            GenerationRequest request = template.withPrompt(tags.prompt());
            ClipPlan plan = overlap.plan(music, request, seconds);
            outputs =
                    MusicResults.make(
                            "image-to-music",
                            music,
                            request,
                            plan,
                            seconds,
                            (stores, progress) ->
                                    pictureToMusic.compose(
                                            tags, request, plan, stores, progress, m),
                            out,
                            DiffusionOptions.absolute(generator),
                            loadSeconds,
                            stdout,
                            meta -> {
                                meta.addProperty("image", DiffusionOptions.absolute(image));
                                meta.addProperty("tagger", DiffusionOptions.absolute(tagger));
                                meta.addProperty("top_k", selection.topK);
                                meta.addProperty("threshold", selection.threshold);
                                meta.add("labels", labels(tags.labels()));
                            });
        }
        outputs.write(stdout);
        return 0;
    }

    private static String describe(List<LabelScore> labels) {
        List<String> parts = new ArrayList<>();
        for (LabelScore s : labels) {
            parts.add(String.format(Locale.ROOT, "%s %.2f", s.label(), s.probability()));
        }
        return String.join(", ", parts);
    }

    private static JsonArray labels(List<LabelScore> labels) {
        JsonArray a = new JsonArray();
        for (LabelScore s : labels) {
            JsonObject l = new JsonObject();
            l.addProperty("label", s.label());
            l.addProperty("probability", s.probability());
            a.add(l);
        }
        return a;
    }
}
