package image2music.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import image2music.audio.Audio;
import image2music.audio.io.WavReader;
import image2music.audio.spectrogram.SpectrogramImageIO;
import image2music.models.diffusion.pipeline.PipelineFolder;
import image2music.models.diffusion.pipeline.StableDiffusionPipeline;
import image2music.models.diffusion.pipeline.TinyPipelines;
import image2music.models.nn.Engines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code text-to-audio} with a tiny random pipeline folder. */
class TextToAudioCommandTest {

    @TempDir static Path shared;
    private static Path model;

    @TempDir Path dir;

    @BeforeAll
    static void tinyModel() throws IOException {
        model = shared.resolve("tiny-model");
        try (NDManager m = Engines.newManager();
                StableDiffusionPipeline p = TinyPipelines.random(1, m)) {
            PipelineFolder.save(p, model);
        }
    }

    private CliRun generate(Path out, String... extra) {
        return generate(out, 64, extra);
    }

    private CliRun generate(Path out, int width, String... extra) {
        List<String> args =
                new java.util.ArrayList<>(
                        List.of(
                                "text-to-audio",
                                "--model",
                                model.toString(),
                                "--prompt",
                                "calm piano",
                                "--out",
                                out.toString(),
                                "--steps",
                                "3",
                                "--width",
                                String.valueOf(width),
                                "--seed",
                                "7"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void writesWavPngAndJson() throws IOException {
        Path out = dir.resolve("clip.wav");
        CliRun r = generate(out, "--negative-prompt", "the 9", "--guidance", "5");
        assertEquals(0, r.exitCode(), r.err());
        Audio audio = WavReader.read(out);
        assertEquals(44100, audio.sampleRate());
        // 64 px of 10 ms hops.
        assertEquals(0.64, audio.durationSeconds(), 0.02);
        SpectrogramImageIO.Loaded png = SpectrogramImageIO.read(dir.resolve("clip.png"));
        assertEquals(64, png.image().getWidth());
        assertEquals(512, png.image().getHeight());
        assertEquals(44100, png.params().sampleRate());
        JsonObject json =
                JsonParser.parseString(Files.readString(dir.resolve("clip.json")))
                        .getAsJsonObject();
        assertEquals("calm piano", json.get("prompt").getAsString());
        assertEquals("the 9", json.get("negative_prompt").getAsString());
        assertEquals(7, json.get("seed").getAsLong());
        assertEquals(3, json.get("steps").getAsInt());
        assertEquals(5.0, json.get("guidance").getAsDouble());
        assertEquals("PNDMScheduler", json.get("scheduler").getAsString());
        assertEquals(64, json.get("width").getAsInt());
        assertEquals(
                model.toAbsolutePath().normalize().toString(), json.get("model").getAsString());
        assertTrue(json.getAsJsonObject("timings").get("generate_s").getAsDouble() > 0);
    }

    @Test
    void sameSeedSameAudioAndBatchesAreNumbered() throws IOException {
        CliRun a = generate(dir.resolve("a.wav"), "--scheduler", "ddim");
        CliRun b = generate(dir.resolve("b.wav"), "--scheduler", "ddim", "--batch", "2");
        assertEquals(0, a.exitCode(), a.err());
        assertEquals(0, b.exitCode(), b.err());
        for (String f : List.of("b-000.wav", "b-000.png", "b-000.json", "b-001.wav")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        assertFalse(Files.exists(dir.resolve("b.wav")));
        assertTrue(
                java.util.Arrays.equals(
                        Files.readAllBytes(dir.resolve("a.png")),
                        Files.readAllBytes(dir.resolve("b-000.png"))));
        JsonObject second =
                JsonParser.parseString(Files.readString(dir.resolve("b-001.json")))
                        .getAsJsonObject();
        assertEquals(8, second.get("seed").getAsLong());
        assertEquals("DDIMScheduler", second.get("scheduler").getAsString());
    }

    @Test
    void missingModelFileFailsWithItsNameAndWritesNothing() throws IOException {
        Path broken = dir.resolve("broken");
        Files.createDirectories(broken);
        CliRun r =
                CliRun.of(
                        "text-to-audio",
                        "--model",
                        broken.toString(),
                        "--prompt",
                        "x",
                        "--out",
                        dir.resolve("x.wav").toString(),
                        "--steps",
                        "2");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("model_index.json"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(broken), s.toList());
        }
    }

    @Test
    void widthTheModelCannotTakeFailsBeforeWritingAnything() throws IOException {
        CliRun r = generate(dir.resolve("y.wav"), 72);
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("width 72"), r.err());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, generate(dir.resolve("z.mp3")).exitCode());
        assertEquals(2, generate(dir.resolve("z.wav"), 60).exitCode());
    }
}
