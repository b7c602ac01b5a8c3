package image2music.models.diffusion.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.models.train.TrainingArguments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed outright (SIGKILL, no shutdown hook, possibly in the middle of writing a checkpoint)
 * and resumed with {@code --resume} ends with exactly the weights of a run that was never stopped.
 * The victim is a second JVM on this test's class path.
 */
class GeneratorKillResumeTest {

    private static final String UNET = "unet/diffusion_pytorch_model.safetensors";

    @TempDir Path dir;

    private static GeneratorTrainingConfig config(Path init) {
        TrainingArguments train = GeneratorTrainerTest.args().epochs(10).checkpointEvery(1).build();
        return new GeneratorTrainingConfig(
                train, init, null, 0, 0, false, 0, 0, null, 64, false, 0.1, List.of(), 2, 1);
    }

    /**
     * The victim: trains into {@code args[2]} from the pipeline {@code args[0]} on {@code args[1]}.
     */
    public static void main(String[] args) throws IOException {
        GeneratorTrainerTest.train(
                config(Path.of(args[0])), Path.of(args[1]), Path.of(args[2]), false);
    }

    @Test
    void killedMidRunThenResumedEqualsAStraightRun() throws Exception {
        Path init = GeneratorTrainerTest.tinyInit(dir.resolve("init"));
        Path data = GeneratorTrainerTest.fourImages(dir.resolve("data"));
        Path killed = dir.resolve("killed");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process victim =
                new ProcessBuilder(
                                java.toString(),
                                "-Xss4m",
                                "-cp",
                                System.getProperty("java.class.path"),
                                GeneratorKillResumeTest.class.getName(),
                                init.toString(),
                                data.toString(),
                                killed.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("victim.log").toFile())
                        .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (!Files.isDirectory(killed.resolve("checkpoint-3"))
                    && victim.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } finally {
            victim.destroyForcibly();
            victim.waitFor();
        }
        assertTrue(
                Files.isDirectory(killed.resolve("checkpoint-3")),
                () -> "the victim made no checkpoint: " + log());
        assertFalse(
                Files.exists(killed.resolve("model_index.json")),
                "the victim finished before it was killed; lengthen its run");

        GeneratorTrainerTest.train(config(init), data, killed, true);
        Path straight = dir.resolve("straight");
        GeneratorTrainerTest.train(config(init), data, straight, false);
        assertArrayEquals(
                Files.readAllBytes(straight.resolve(UNET)),
                Files.readAllBytes(killed.resolve(UNET)));
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("victim.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
