package image2music.pipeline.demo;

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

    /** Whether both models are there (a finished demo's training stages). */
    public boolean exist() {
        return Files.isRegularFile(tagger.resolve("config.json"))
                && Files.isRegularFile(generator.resolve("model_index.json"));
    }
}
