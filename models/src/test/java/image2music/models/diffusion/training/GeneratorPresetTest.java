package image2music.models.diffusion.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import image2music.models.diffusion.pipeline.PipelineFolder;
import image2music.models.diffusion.pipeline.PixelNormalization;
import image2music.models.diffusion.pipeline.StableDiffusionPipeline;
import image2music.models.nn.Engines;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
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
        // In normalised pixels (unit spread, see PixelNormalization) the min-SNR-weighted v-loss
        // starts lower than in raw [−1, 1] pixels, where the noise swamped the images from the
        // middle of the schedule on; it still halves within 60 steps.
        assertTrue(last < first / 2, "loss " + first + " -> " + last);
        try (NDManager m = Engines.newManager();
                StableDiffusionPipeline p = PipelineFolder.load(out, m)) {
            assertEquals(null, p.vae(), "pixel space");
            assertEquals(64, p.unet().config().sampleSize());
            // The data's normalisation is saved with the model, and the sampler may reach it.
            PixelNormalization n = p.pixelNormalization();
            assertEquals(64, n.shift().length);
            assertTrue(n.scale() > 1, "spectrogram pixels spread less than unit: " + n);
            assertEquals(
                    "DPMSolverMultistepScheduler",
                    p.schedulerConfig().get("_class_name").getAsString());
            assertEquals("v_prediction", p.schedulerConfig().get("prediction_type").getAsString());
            BufferedImage image = ImageIO.read(dir.resolve("data/00.png").toFile());
            BufferedImage back = p.decodeImage(p.encodeImage(image, m), m);
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    int want = image.getRGB(x, y) & 0xff;
                    int got = back.getRGB(x, y) & 0xff;
                    assertTrue(
                            Math.abs(want - got) <= 1,
                            "pixel " + x + "," + y + ": " + got + " vs " + want);
                }
            }
        }
        assertTrue(Files.isRegularFile(out.resolve("spectrogram.json")));
        assertTrue(
                Files.readString(out.resolve("scheduler/scheduler_config.json"))
                        .contains("\"v_prediction\""),
                "the preset predicts v");
        assertTrue(Files.isRegularFile(out.resolve("training_provenance.json")));
    }
}
