package image2music.models.diffusion.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import image2music.models.diffusion.pipeline.PipelineFolder;
import image2music.models.diffusion.pipeline.StableDiffusionPipeline;
import image2music.models.nn.Engines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tiny preset learns four images from scratch, as the demo trains it (v-prediction, min-SNR
 * weighting 5). (It went NaN now and then while DJL's number arithmetic fed freed memory to the
 * backward pass: see {@code nn.Tensors}.)
 */
class GeneratorPresetTest {

    @TempDir Path dir;

    @Test
    void tinyPresetOverFitsFourImagesAndWritesAPixelSpacePipeline() throws IOException {
        Path out = dir.resolve("preset");
        GeneratorTrainingConfig c =
                new GeneratorTrainingConfig(
                        GeneratorTrainerTest.args().epochs(60).build(),
                        null,
                        GeneratorPreset.TINY,
                        0,
                        0,
                        false,
                        5,
                        0,
                        null,
                        64,
                        false,
                        0.1,
                        List.of(),
                        2,
                        1);
        List<Double> losses =
                GeneratorTrainerTest.train(
                        c, GeneratorTrainerTest.fourImages(dir.resolve("data")), out, false);
        assertEquals(60, losses.size());
        double first = GeneratorTrainerTest.mean(losses.subList(0, 10));
        double last = GeneratorTrainerTest.mean(losses.subList(50, 60));
        System.out.printf("tiny preset loss: first 10 %.4f, last 10 %.4f%n", first, last);
        assertTrue(last < first / 3, "loss " + first + " -> " + last);
        try (NDManager m = Engines.newManager();
                StableDiffusionPipeline p = PipelineFolder.load(out, m)) {
            assertEquals(null, p.vae(), "pixel space");
            assertEquals(64, p.unet().config().sampleSize());
        }
        assertTrue(Files.isRegularFile(out.resolve("spectrogram.json")));
        assertTrue(
                Files.readString(out.resolve("scheduler/scheduler_config.json"))
                        .contains("\"v_prediction\""),
                "the preset predicts v");
        assertTrue(Files.isRegularFile(out.resolve("training_provenance.json")));
    }
}
