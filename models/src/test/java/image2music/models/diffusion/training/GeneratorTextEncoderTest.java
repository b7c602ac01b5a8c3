package image2music.models.diffusion.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import image2music.models.diffusion.lora.LoraLayers;
import image2music.models.nn.Engines;
import image2music.models.nn.SafetensorsFile;
import image2music.models.train.TrainingArguments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --train-text-encoder}: the text encoder learns with the UNet, in full or by LoRA. */
class GeneratorTextEncoderTest {

    @TempDir static Path shared;
    private static Path init;
    private static Path data;

    @TempDir Path dir;

    @BeforeAll
    static void setUp() throws IOException {
        init = GeneratorTrainerTest.tinyInit(shared.resolve("init"));
        data = GeneratorTrainerTest.fourImages(shared.resolve("data"));
    }

    private static GeneratorTrainingConfig config(TrainingArguments train, int loraRank) {
        return new GeneratorTrainingConfig(
                train, init, null, loraRank, loraRank, true, 0, 0, null, 64, false, 0.1, List.of(),
                2, 1);
    }

    private static final String TEXT_WEIGHTS = "text_encoder/model.safetensors";

    @Test
    void theWholeTextEncoderLearnsAndResumesExactly() throws IOException {
        TrainingArguments straight =
                GeneratorTrainerTest.args().epochs(4).checkpointEvery(1).build();
        Path a = dir.resolve("straight");
        GeneratorTrainerTest.train(config(straight, 0), data, a, false);
        assertTrue(differs(init.resolve(TEXT_WEIGHTS), a.resolve(TEXT_WEIGHTS)));

        Path b = dir.resolve("resumed");
        GeneratorTrainerTest.train(
                config(straight.toBuilder().maxSteps(2).build(), 0), data, b, false);
        assertTrue(
                Files.isRegularFile(b.resolve("checkpoint-2").resolve(TEXT_WEIGHTS)),
                "checkpoints keep the text encoder");
        GeneratorTrainerTest.train(config(straight, 0), data, b, true);
        for (String f : List.of(TEXT_WEIGHTS, "unet/diffusion_pytorch_model.safetensors")) {
            assertArrayEquals(
                    Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
        }
    }

    @Test
    void loraAdaptsBothComponentsInOneFile() throws IOException {
        Path out = dir.resolve("lora");
        GeneratorTrainerTest.train(
                config(GeneratorTrainerTest.args().epochs(3).build(), 4), data, out, false);
        Path file = out.resolve(LoraLayers.FILE);
        assertTrue(LoraLayers.holds(file, LoraLayers.Component.UNET));
        assertTrue(LoraLayers.holds(file, LoraLayers.Component.TEXT_ENCODER));
        try (NDManager m = Engines.newManager()) {
            Map<String, NDArray> w = SafetensorsFile.read(file, m);
            NDArray textUp =
                    w.entrySet().stream()
                            .filter(e -> e.getKey().startsWith("text_encoder."))
                            .filter(e -> e.getKey().endsWith("up.weight"))
                            .findFirst()
                            .orElseThrow()
                            .getValue();
            assertTrue(textUp.abs().max().getFloat() > 0, "the text adapters moved from zero");
        }
        assertFalse(Files.exists(out.resolve("text_encoder")), "a LoRA run writes no encoder");
    }

    /** Whether any tensor of the two safetensors files differs. */
    private static boolean differs(Path a, Path b) throws IOException {
        try (NDManager m = Engines.newManager()) {
            Map<String, NDArray> x = SafetensorsFile.read(a, m);
            Map<String, NDArray> y = SafetensorsFile.read(b, m);
            for (Map.Entry<String, NDArray> e : x.entrySet()) {
                if (!e.getValue().contentEquals(y.get(e.getKey()))) {
                    return true;
                }
            }
            return false;
        }
    }
}
