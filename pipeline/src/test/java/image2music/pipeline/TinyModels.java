package image2music.pipeline;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import image2music.models.diffusion.pipeline.PipelineFolder;
import image2music.models.diffusion.pipeline.StableDiffusionPipeline;
import image2music.models.diffusion.pipeline.TinyPipelines;
import image2music.models.nn.Engines;
import image2music.models.vit.ViTCheckpoints;
import image2music.models.vit.ViTConfig;
import image2music.models.vit.ViTForImageClassification;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Randomly initialised tiny model folders for the tests of pipeline and app, written where a test
 * asks.
 */
public final class TinyModels {

    private TinyModels() {}

    /** A tiny diffusers pipeline folder (random weights, libtorch seed 1) at {@code dir}. */
    public static Path generator(Path dir) throws IOException {
        try (NDManager m = Engines.newManager();
                StableDiffusionPipeline p = TinyPipelines.random(1, m)) {
            PipelineFolder.save(p, dir);
        }
        return dir;
    }

    /**
     * A tiny multi-label ViT classifier folder (16 px images, 8 px patches, random weights from
     * libtorch seed 3) with {@code labels}, at {@code dir}.
     */
    public static Path tagger(Path dir, List<String> labels) throws IOException {
        ViTConfig c =
                new ViTConfig(
                        16,
                        1,
                        2,
                        32,
                        "gelu",
                        0f,
                        0f,
                        0.5f,
                        1e-12f,
                        16,
                        8,
                        3,
                        true,
                        8,
                        labels,
                        ViTConfig.MULTI_LABEL,
                        null);
        try (NDManager m = Engines.newManager()) {
            Engines.engine().setRandomSeed(3);
            ViTForImageClassification vit = new ViTForImageClassification(c);
            vit.initialize(m, DataType.FLOAT32);
            ViTCheckpoints.save(vit, dir);
        }
        return dir;
    }
}
