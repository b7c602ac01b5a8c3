package image2music.models.diffusion.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import image2music.audio.dataset.MetadataCsv;
import image2music.models.diffusion.lora.LoraLayers;
import image2music.models.diffusion.pipeline.PipelineFolder;
import image2music.models.diffusion.pipeline.StableDiffusionPipeline;
import image2music.models.diffusion.pipeline.TinyPipelines;
import image2music.models.nn.Engines;
import image2music.models.nn.SafetensorsFile;
import image2music.models.train.LrSchedule;
import image2music.models.train.TrainingArguments;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trains the tiny random pipeline on four 64-row "spectrograms" of two moods. */
class GeneratorTrainerTest {

    @TempDir static Path shared;
    private static Path init;
    private static Path data;

    @BeforeAll
    static void setUp() throws IOException {
        init = shared.resolve("init");
        try (NDManager m = Engines.newManager();
                StableDiffusionPipeline p =
                        // DDIM: a PNDM run corrupts later training in the JVM (see pom.xml).
                        TinyPipelines.random(5, m, TinyPipelines.ddimScheduler())) {
            PipelineFolder.save(p, init);
        }
        data = shared.resolve("data");
        Files.createDirectories(data);
        List<MetadataCsv.Row> rows = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            boolean calm = i % 2 == 0;
            BufferedImage img = new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 96; x++) {
                    // calm: low bands, steady; bright: high bands, pulsing.
                    int v =
                            calm
                                    ? (y > 40 ? 40 : 230)
                                    : (y < 24 && (x / 8 + i) % 2 == 0 ? 30 : 220);
                    img.setRGB(x, y, (v << 16) | (v << 8) | v);
                }
            }
            String name = String.format("%02d.png", i);
            ImageIO.write(img, "png", data.resolve(name).toFile());
            rows.add(new MetadataCsv.Row(name, calm ? "calm" : "bright"));
        }
        MetadataCsv.write(data.resolve("metadata.csv"), rows);
    }

    private static GeneratorTrainingConfig config(TrainingArguments train, int loraRank) {
        return new GeneratorTrainingConfig(
                train, init, null, loraRank, loraRank, 0, 0, null, 64, false, 0.1, List.of(), 2, 1);
    }

    private static TrainingArguments.Builder args() {
        return TrainingArguments.builder()
                .batchSize(4)
                .learningRate(2e-3)
                .lrSchedule(LrSchedule.Decay.CONSTANT)
                .warmupRatio(0)
                .weightDecay(0)
                .seed(3)
                .checkpointEvery(0)
                .logEvery(1);
    }

    private static List<Double> train(GeneratorTrainingConfig c, Path out, boolean resume)
            throws IOException {
        List<Double> losses = new ArrayList<>();
        new GeneratorTrainer(
                        c,
                        SpectrogramImageFolder.open(data),
                        out,
                        new GeneratorTrainer.Listener() {
                            @Override
                            public void stepDone(long step, long total, double loss, double s) {
                                losses.add(loss);
                            }
                        })
                .run(resume);
        return losses;
    }

    private static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    @Test
    void tinyPresetOverFitsFourImagesAndWritesAPixelSpacePipeline() throws IOException {
        Path out = shared.resolve("preset");
        GeneratorTrainingConfig c =
                new GeneratorTrainingConfig(
                        args().epochs(60).build(),
                        null,
                        GeneratorPreset.TINY,
                        0,
                        0,
                        0,
                        0,
                        null,
                        64,
                        false,
                        0.1,
                        List.of(),
                        2,
                        1);
        List<Double> losses = train(c, out, false);
        assertEquals(60, losses.size());
        double first = mean(losses.subList(0, 10));
        double last = mean(losses.subList(50, 60));
        System.out.printf("tiny preset loss: first 10 %.4f, last 10 %.4f%n", first, last);
        assertTrue(last < first / 3, "loss " + first + " -> " + last);
        try (NDManager m = Engines.newManager();
                StableDiffusionPipeline p = PipelineFolder.load(out, m)) {
            assertEquals(null, p.vae(), "pixel space");
            assertEquals(64, p.unet().config().sampleSize());
        }
        assertTrue(Files.isRegularFile(out.resolve("spectrogram.json")));
        assertTrue(Files.isRegularFile(out.resolve("training_provenance.json")));
    }

    @Test
    void interruptedAndResumedEqualsOneStraightRun() throws IOException {
        TrainingArguments straight = args().epochs(4).checkpointEvery(1).build();
        Path a = shared.resolve("straight");
        train(config(straight, 0), a, false);
        Path b = shared.resolve("resumed");
        train(config(straight.toBuilder().maxSteps(2).build(), 0), b, false);
        train(config(straight, 0), b, true);
        assertArrayEquals(
                Files.readAllBytes(a.resolve("unet/diffusion_pytorch_model.safetensors")),
                Files.readAllBytes(b.resolve("unet/diffusion_pytorch_model.safetensors")));
    }

    @Test
    void loraTrainsOnlyTheAdaptersAndResumesExactly() throws IOException {
        TrainingArguments straight = args().epochs(4).checkpointEvery(1).build();
        Path a = shared.resolve("lora-straight");
        List<Double> losses = train(config(straight, 4), a, false);
        assertFalse(losses.isEmpty());
        Path file = a.resolve(LoraLayers.FILE);
        assertTrue(Files.isRegularFile(file));
        assertFalse(Files.exists(a.resolve("unet")), "a LoRA run writes no UNet");
        Path b = shared.resolve("lora-resumed");
        train(config(straight.toBuilder().maxSteps(2).build(), 4), b, false);
        train(config(straight, 4), b, true);
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(b.resolve(LoraLayers.FILE)));
        try (NDManager m = Engines.newManager()) {
            Map<String, NDArray> w = SafetensorsFile.read(file, m);
            assertTrue(w.keySet().stream().allMatch(k -> k.startsWith("unet.")), w::toString);
            // The up weights started at zero: training moved them.
            NDArray up =
                    w.entrySet().stream()
                            .filter(e -> e.getKey().endsWith("up.weight"))
                            .findFirst()
                            .orElseThrow()
                            .getValue();
            assertTrue(up.abs().max().getFloat() > 0);
        }
    }

    @Test
    void validationSamplesWithEmaWeightsAndLeavesTrainingUntouched() throws IOException {
        TrainingArguments ema = args().epochs(3).ema(true).validateEvery(2).build();
        Path quiet = shared.resolve("ema-quiet");
        train(config(ema, 0), quiet, false);
        Path sampled = shared.resolve("ema-sampled");
        GeneratorTrainingConfig withPrompts =
                new GeneratorTrainingConfig(
                        ema, init, null, 0, 0, 0, 0, null, 64, false, 0.1, List.of("calm"), 2, 1);
        train(withPrompts, sampled, false);
        // Step 2 by --validate-every, step 3 as the finished model.
        assertTrue(Files.isRegularFile(sampled.resolve("validation/step-2/00-calm.png")));
        assertTrue(Files.isRegularFile(sampled.resolve("validation/step-3/00-calm.wav")));
        assertFalse(Files.exists(sampled.resolve("validation/step-1")));
        assertArrayEquals(
                Files.readAllBytes(quiet.resolve("unet/diffusion_pytorch_model.safetensors")),
                Files.readAllBytes(sampled.resolve("unet/diffusion_pytorch_model.safetensors")),
                "sampling with the EMA weights puts the training weights back exactly");
    }
}
