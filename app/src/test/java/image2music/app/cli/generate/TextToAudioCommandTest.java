package image2music.app.cli.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import image2music.app.cli.CliRun;
import image2music.audio.Audio;
import image2music.audio.io.WavReader;
import image2music.audio.spectrogram.SpectrogramImageIO;
import image2music.pipeline.TinyModels;
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
        model = TinyModels.generator(shared.resolve("tiny-model"));
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
                                "--width",
                                String.valueOf(width),
                                "--seed",
                                "7"));
        args.addAll(List.of(extra));
        if (!args.contains("--steps")) {
            args.addAll(List.of("--steps", "3"));
        }
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
    void secondsLongerThanAClipMakeOnePieceOfThatLength() throws IOException {
        Path out = dir.resolve("long.wav");
        CliRun r = generate(out, "--seconds", "2", "--scheduler", "ddim");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(2.0, WavReader.read(out).durationSeconds(), 0.01);
        SpectrogramImageIO.Loaded png = SpectrogramImageIO.read(dir.resolve("long.png"));
        assertEquals(201, png.image().getWidth());
        assertEquals(512, png.image().getHeight());
        JsonObject json =
                JsonParser.parseString(Files.readString(dir.resolve("long.json")))
                        .getAsJsonObject();
        assertEquals(2.0, json.get("seconds").getAsDouble());
        assertEquals(7, json.get("seed").getAsLong());
        // Default overlap: a quarter of the 64-px clip, 16 px = 0.16 s.
        assertEquals(16, json.get("overlap_px").getAsInt());
        assertEquals(0.16, json.get("overlap_s").getAsDouble(), 1e-9);
        assertEquals(4, json.get("clips").getAsInt());
        var seeds = json.getAsJsonArray("clip_seeds");
        assertEquals(4, seeds.size());
        assertEquals(7, seeds.get(0).getAsLong());
        assertEquals(7 + 3 * 0x9E3779B97F4A7C15L, seeds.get(3).getAsLong());
        assertTrue(json.get("clip_seed_rule").getAsString().contains("9E3779B97F4A7C15"));
        // Reproducible from the sidecar: the same flags give the same piece.
        CliRun again = generate(dir.resolve("again.wav"), "--seconds", "2", "--scheduler", "ddim");
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(
                java.util.Arrays.equals(
                        Files.readAllBytes(dir.resolve("long.wav")),
                        Files.readAllBytes(dir.resolve("again.wav"))));
        // Finished pieces leave no kept clips behind.
        assertFalse(Files.exists(dir.resolve("long.clips")));

        // A run that fails at the very end (its PNG cannot be written) keeps its clips; the
        // rerun takes them (LongformGeneratorTest checks none is denoised again) and makes the
        // same piece.
        Path stuck = dir.resolve("stuck.wav");
        Files.createDirectories(dir.resolve("stuck.png"));
        CliRun failed = generate(stuck, "--seconds", "2", "--scheduler", "ddim");
        assertEquals(1, failed.exitCode(), failed.out());
        assertTrue(Files.isRegularFile(dir.resolve("stuck.clips/clip-003.png")));
        Files.delete(dir.resolve("stuck.png"));
        CliRun resumed = generate(stuck, "--seconds", "2", "--scheduler", "ddim");
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.out().contains("resuming stuck.wav: 4 of 4 clips kept"), resumed.out());
        assertTrue(
                java.util.Arrays.equals(
                        Files.readAllBytes(dir.resolve("long.wav")), Files.readAllBytes(stuck)));
        assertFalse(Files.exists(dir.resolve("stuck.clips")));
    }

    @Test
    void thirtySecondsAskedThirtySecondsMade() throws IOException {
        Path out = dir.resolve("thirty.wav");
        CliRun r = generate(out, 512, "--seconds", "30", "--steps", "1", "--guidance", "1");
        assertEquals(0, r.exitCode(), r.err());
        // 30 s = 3001 frames of 10 ms; the audio is (frames - 1) hops long.
        assertEquals(30.0, WavReader.read(out).durationSeconds(), 0.01);
        assertEquals(3001, SpectrogramImageIO.read(dir.resolve("thirty.png")).image().getWidth());
        JsonObject json =
                JsonParser.parseString(Files.readString(dir.resolve("thirty.json")))
                        .getAsJsonObject();
        // 512-px clips sharing 128 px (1.28 s): 1 + ceil((3001 - 512) / 384).
        assertEquals(8, json.get("clips").getAsInt());
        assertEquals(1.28, json.get("overlap_s").getAsDouble(), 1e-9);
    }

    @Test
    void secondsShorterThanAClipCutTheClipAndBatchesGetOneSeedEach() throws IOException {
        Path out = dir.resolve("short.wav");
        CliRun r = generate(out, "--seconds", "0.3", "--batch", "2", "--overlap", "0.08");
        assertEquals(0, r.exitCode(), r.err());
        for (int i = 0; i < 2; i++) {
            Path wav = dir.resolve(String.format("short-%03d.wav", i));
            assertEquals(0.3, WavReader.read(wav).durationSeconds(), 0.01);
            JsonObject json =
                    JsonParser.parseString(
                                    Files.readString(
                                            dir.resolve(String.format("short-%03d.json", i))))
                            .getAsJsonObject();
            assertEquals(7 + i, json.get("seed").getAsLong());
            assertEquals(1, json.get("clips").getAsInt());
            assertEquals(8, json.get("overlap_px").getAsInt());
        }
        // One clip cut to 0.3 s is the start of the ordinary clip of that seed.
        CliRun whole = generate(dir.resolve("whole.wav"));
        assertEquals(0, whole.exitCode(), whole.err());
        var cut = javax.imageio.ImageIO.read(dir.resolve("short-000.png").toFile());
        var full = javax.imageio.ImageIO.read(dir.resolve("whole.png").toFile());
        assertEquals(31, cut.getWidth());
        for (int y = 0; y < 512; y += 7) {
            for (int x = 0; x < 31; x++) {
                int a = cut.getRGB(x, y) & 0xFF;
                // Generated pixels are not exactly grey; a piece is re-encoded from their mean.
                int rgb = full.getRGB(x, y);
                int b = ((rgb >> 16 & 0xFF) + (rgb >> 8 & 0xFF) + (rgb & 0xFF)) / 3;
                assertTrue(Math.abs(a - b) <= 1, x + "," + y + ": " + a + " vs " + b);
            }
        }
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, generate(dir.resolve("s.wav"), "--seconds", "0").exitCode());
        assertEquals(2, generate(dir.resolve("s.wav"), "--overlap", "0.5").exitCode());
        assertEquals(
                2, generate(dir.resolve("s.wav"), "--seconds", "2", "--overlap", "1").exitCode());
        assertEquals(2, generate(dir.resolve("z.mp3")).exitCode());
        assertEquals(2, generate(dir.resolve("z.wav"), 60).exitCode());
    }
}
