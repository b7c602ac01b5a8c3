package image2music.pipeline.demo;

import image2music.pipeline.InvalidRequestException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a demo folder keeps its trained models: what {@code image-to-music} uses when it is given
 * none.
 *
 * @param tagger {@code <demo>/models/tagger}
 * @param generator {@code <demo>/models/generator}
 */
public record DemoModels(Path tagger, Path generator) {

    /** The models of the demo folder {@code out}, whether or not they exist yet. */
    public static DemoModels in(Path out) {
        Path models = out.resolve("models");
        return new DemoModels(models.resolve("tagger"), models.resolve("generator"));
    }

    /**
     * {@code tagger} and {@code generator}, each where given, else the default demo folder's.
     *
     * @throws InvalidRequestException if one is missing and the demo has not trained its models,
     *     saying how to get them
     */
    public static DemoModels orDefault(Path tagger, Path generator) {
        if (tagger != null && generator != null) {
            return new DemoModels(tagger, generator);
        }
        DemoModels demo = in(DemoRequest.DEFAULT_OUT);
        if (!demo.exist()) {
            throw new InvalidRequestException(
                    "No --tagger/--generator given and no demo models in "
                            + DemoRequest.DEFAULT_OUT.toAbsolutePath()
                            + ": run ./image2music demo first (it trains both), or give"
                            + " --tagger DIR --generator DIR");
        }
        return new DemoModels(
                tagger != null ? tagger : demo.tagger(),
                generator != null ? generator : demo.generator());
    }

    /** Whether both models are there (a finished demo's training stages). */
    public boolean exist() {
        return Files.isRegularFile(tagger.resolve("config.json"))
                && Files.isRegularFile(generator.resolve("model_index.json"));
    }
}
