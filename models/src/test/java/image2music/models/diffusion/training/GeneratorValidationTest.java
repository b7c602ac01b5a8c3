package image2music.models.diffusion.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.models.train.TrainingArguments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Validation samples during training. */
class GeneratorValidationTest {

    @TempDir Path dir;
    private Path init;
    private Path data;

    @BeforeEach
    void setUp() throws IOException {
        init = GeneratorTrainerTest.tinyInit(dir.resolve("init"));
        data = GeneratorTrainerTest.fourImages(dir.resolve("data"));
    }

    private GeneratorTrainingConfig withPrompts(TrainingArguments train, List<String> prompts) {
        return new GeneratorTrainingConfig(
                train, init, null, 0, 0, false, 0, 0, null, 64, false, 0.1, prompts, 2, 1);
    }

    @Test
    void validationSamplesWithEmaWeightsAndLeavesTrainingUntouched() throws IOException {
        TrainingArguments ema =
                GeneratorTrainerTest.args().epochs(3).ema(true).validateEvery(2).build();
        Path quiet = dir.resolve("ema-quiet");
        GeneratorTrainerTest.train(withPrompts(ema, List.of()), data, quiet, false);
        Path sampled = dir.resolve("ema-sampled");
        GeneratorTrainerTest.train(withPrompts(ema, List.of("calm")), data, sampled, false);
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
