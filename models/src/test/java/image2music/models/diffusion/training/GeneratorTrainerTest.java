package image2music.models.diffusion.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDManager;
import image2music.audio.dataset.MetadataCsv;
import image2music.models.diffusion.pipeline.PipelineFolder;
import image2music.models.diffusion.pipeline.StableDiffusionPipeline;
import image2music.models.diffusion.pipeline.TinyPipelines;
import image2music.models.nn.Engines;
import image2music.models.train.LrSchedule;
import image2music.models.train.TrainingArguments;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
}
