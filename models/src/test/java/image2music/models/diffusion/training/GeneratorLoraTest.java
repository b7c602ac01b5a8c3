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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LoRA training and its exact resumption. */
class GeneratorLoraTest {

    @TempDir Path dir;
    private Path init;
    private Path data;

    @BeforeEach
    void setUp() throws IOException {
        init = GeneratorTrainerTest.tinyInit(dir.resolve("init"));
        data = GeneratorTrainerTest.fourImages(dir.resolve("data"));
    }

    private GeneratorTrainingConfig lora(TrainingArguments train) {
        return new GeneratorTrainingConfig(
                train, init, null, 4, 4, false, 0, 0, null, 64, false, 0.1, List.of(), 2, 1);
    }

    @Test
    void loraTrainsOnlyTheAdaptersAndResumesExactly() throws IOException {
        TrainingArguments straight =
                GeneratorTrainerTest.args().epochs(4).checkpointEvery(1).build();
        Path a = dir.resolve("lora-straight");
        List<Double> losses = GeneratorTrainerTest.train(lora(straight), data, a, false);
        assertFalse(losses.isEmpty());
        Path file = a.resolve(LoraLayers.FILE);
        assertTrue(Files.isRegularFile(file));
        assertFalse(Files.exists(a.resolve("unet")), "a LoRA run writes no UNet");
        Path b = dir.resolve("lora-resumed");
        GeneratorTrainerTest.train(lora(straight.toBuilder().maxSteps(2).build()), data, b, false);
        GeneratorTrainerTest.train(lora(straight), data, b, true);
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
}
