package image2music.models.diffusion.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import image2music.audio.dataset.MetadataCsv;
import image2music.models.diffusion.pipeline.PipelineFolder;
import image2music.models.diffusion.pipeline.StableDiffusionPipeline;
import image2music.models.diffusion.pipeline.TinyPipelines;
import image2music.models.nn.Engines;
import image2music.models.nn.SafetensorsFile;
import image2music.models.train.LrSchedule;
import image2music.models.train.MixedPrecision;
import image2music.models.train.TrainingArguments;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
        init = tinyInit(shared.resolve("init"));
        data = fourImages(shared.resolve("data"));
    }

    /** The tiny random pipeline (DDIM: see models/pom.xml) saved at {@code dir}. */
    static Path tinyInit(Path dir) throws IOException {
        try (NDManager m = Engines.newManager();
                StableDiffusionPipeline p =
                        TinyPipelines.random(5, m, TinyPipelines.ddimScheduler())) {
            PipelineFolder.save(p, dir);
        }
        return dir;
    }

    /** Four 96 × 64 "spectrograms", two of each mood, with their metadata.csv, in {@code data}. */
    static Path fourImages(Path data) throws IOException {
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
        return data;
    }

    static GeneratorTrainingConfig config(TrainingArguments train, int loraRank) {
        return new GeneratorTrainingConfig(
                train, init, null, loraRank, loraRank, false, 0, 0, null, 64, false, 0.1, List.of(),
                2, 1);
    }

    static TrainingArguments.Builder args() {
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
        return train(c, data, out, resume);
    }

    /** Trains {@code c} on {@code data} into {@code out}; the step losses. */
    static List<Double> train(GeneratorTrainingConfig c, Path data, Path out, boolean resume)
            throws IOException {
        return train(c, data, out, resume, false);
    }

    private static List<Double> train(
            GeneratorTrainingConfig c,
            Path data,
            Path out,
            boolean resume,
            boolean gradientCheckpointing)
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
                .withGradientCheckpointing(gradientCheckpointing)
                .run(resume);
        return losses;
    }

    static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
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

    /**
     * Checkpointing changes memory, not results: a plain run stopped after one step and resumed
     * with gradient checkpointing ends where a plain run does.
     */
    @Test
    void gradientCheckpointingResumesAPlainRunToTheSameModel() throws IOException {
        TrainingArguments straight = args().epochs(3).checkpointEvery(1).build();
        Path plain = shared.resolve("plain");
        List<Double> want = train(config(straight, 0), data, plain, false, false);
        Path mixed = shared.resolve("checkpointed");
        train(config(straight.toBuilder().maxSteps(1).build(), 0), data, mixed, false, false);
        List<Double> got = train(config(straight, 0), data, mixed, true, true);
        assertEquals(want.get(want.size() - 1), got.get(got.size() - 1), 1e-5);
        try (NDManager m = Engines.newManager()) {
            String weights = "unet/diffusion_pytorch_model.safetensors";
            Map<String, NDArray> a = SafetensorsFile.read(plain.resolve(weights), m);
            Map<String, NDArray> b = SafetensorsFile.read(mixed.resolve(weights), m);
            assertEquals(a.keySet(), b.keySet());
            for (String k : a.keySet()) {
                assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), 1e-5f, k);
            }
        }
    }

    /**
     * float16 autocast with its loss scale: the run trains (finite losses), keeps the scale in its
     * trainer state, and an interrupted + resumed run equals a straight one.
     */
    @Test
    void mixedPrecisionRunsResumeExactly() throws IOException {
        TrainingArguments fp16 =
                args().epochs(3).checkpointEvery(1).mixedPrecision(MixedPrecision.FP16).build();
        Path a = shared.resolve("fp16-straight");
        List<Double> losses = train(config(fp16, 0), a, false);
        assertEquals(3, losses.size());
        losses.forEach(l -> assertTrue(Double.isFinite(l), "loss " + l));
        Path b = shared.resolve("fp16-resumed");
        train(config(fp16.toBuilder().maxSteps(1).build(), 0), b, false);
        String state = Files.readString(b.resolve("checkpoint-1/trainer_state.json"));
        assertTrue(state.contains("\"loss_scale\""), state);
        train(config(fp16, 0), b, true);
        assertFalse(
                Arrays.equals(
                        Files.readAllBytes(
                                init.resolve("unet/diffusion_pytorch_model.safetensors")),
                        Files.readAllBytes(a.resolve("unet/diffusion_pytorch_model.safetensors"))),
                "some step was not skipped");
        assertArrayEquals(
                Files.readAllBytes(a.resolve("unet/diffusion_pytorch_model.safetensors")),
                Files.readAllBytes(b.resolve("unet/diffusion_pytorch_model.safetensors")));
    }
}
