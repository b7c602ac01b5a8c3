package image2music.app.cli.generate;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import image2music.app.cli.EngineOptions;
import image2music.app.cli.ErrorHandler;
import image2music.models.vit.LabelScore;
import image2music.pipeline.TagRequest;
import image2music.pipeline.TaggingService;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tag}: mood labels for images from a ViT classifier folder ({@link TaggingService}). */
@Command(
        name = "tag",
        mixinStandardHelpOptions = true,
        description = {
            "Tags images with a ViTForImageClassification model folder (config.json +"
                    + " model.safetensors, ours or a HuggingFace one).",
            "Prints the most probable labels with their probabilities (sigmoid for multi-label"
                    + " models, softmax otherwise); the most probable label is always kept."
        })
public final class TagCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model folder.")
    Path model;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Images to tag.")
    List<Path> images;

    @Mixin LabelSelectionOptions selection;

    @Option(names = "--json", description = "One JSON object per image and line.")
    boolean json;

    @Mixin EngineOptions engine;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        TagRequest request = new TagRequest(model, images, selection.topK, selection.threshold);
        engine.start();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int failures =
                new TaggingService()
                        .run(
                                request,
                                new TaggingService.Listener() {
                                    @Override
                                    public void tagged(Path image, List<LabelScore> labels) {
                                        print(out, image, labels);
                                    }

                                    @Override
                                    public void failed(Path image, IOException error) {
                                        err.println("error: " + ErrorHandler.describe(error));
                                        err.flush();
                                    }
                                });
        out.flush();
        return failures == 0 ? 0 : 1;
    }

    private void print(PrintWriter out, Path image, List<LabelScore> chosen) {
        if (json) {
            JsonObject o = new JsonObject();
            o.addProperty("image", image.toString());
            JsonArray labels = new JsonArray();
            for (LabelScore s : chosen) {
                JsonObject l = new JsonObject();
                l.addProperty("label", s.label());
                l.addProperty("probability", Math.round(s.probability() * 1e4) / 1e4);
                labels.add(l);
            }
            o.add("labels", labels);
            out.println(new Gson().toJson(o));
        } else {
            List<String> parts = new ArrayList<>();
            for (LabelScore s : chosen) {
                parts.add(String.format(Locale.ROOT, "%s %.2f", s.label(), s.probability()));
            }
            out.println(image + ": " + String.join(", ", parts));
        }
    }
}
