package image2music.app.cli.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import image2music.app.cli.CliRun;
import image2music.audio.dataset.MetadataCsv;
import image2music.audio.spectrogram.SpectrogramFormatFile;
import image2music.audio.spectrogram.SpectrogramImage;
import image2music.audio.spectrogram.SpectrogramImageIO;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.models.diffusion.pipeline.PipelineFolder;
import image2music.models.diffusion.pipeline.StableDiffusionPipeline;
import image2music.models.diffusion.pipeline.TinyPipelines;
import image2music.models.nn.Engines;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train-generator} on a tiny random pipeline and four 64-bin spectrograms. */
class TrainGeneratorCommandTest {

    @TempDir static Path shared;
    private static Path init;
    private static Path data;

    @TempDir Path dir;

    @BeforeAll
    static void setUp() throws IOException {
        init = shared.resolve("init");
        try (NDManager m = Engines.newManager();
                StableDiffusionPipeline p =
                        TinyPipelines.random(1, m, TinyPipelines.ddimScheduler())) {
            PipelineFolder.save(p, init);
        }
        data = shared.resolve("data");
        Files.createDirectories(data);
        SpectrogramParams params =
                new SpectrogramParams(false, 44100, 10, 100, 400, 64, 0, 10000, 0.25, 32);
        List<MetadataCsv.Row> rows = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            BufferedImage img = new BufferedImage(80, 64, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 80; x++) {
                    int v = (i % 2 == 0) == (y > 32) ? 40 : 220;
                    img.setRGB(x, y, (v << 16) | (v << 8) | v);
                }
            }
            String name = "tile-" + i + ".png";
            SpectrogramImageIO.write(
                    data.resolve(name), img, params, SpectrogramImage.DEFAULT_MAX_VALUE);
            rows.add(new MetadataCsv.Row(name, i % 2 == 0 ? "calm" : "bright"));
        }
        MetadataCsv.write(data.resolve("metadata.csv"), rows);
    }

    private static CliRun train(Path out, String... extra) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "train-generator",
                                "--data",
                                data.toString(),
                                "--init",
                                init.toString(),
                                "--out",
                                out.toString(),
                                "--epochs",
                                "2",
                                "--validation-steps",
                                "2",
                                "--log-every",
                                "1",
                                "--no-progress"));
        args.addAll(List.of(extra));
        if (!args.contains("--width")) {
            args.addAll(List.of("--width", "64"));
        }
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void trainsAPipelineThatTextToAudioRuns() throws IOException {
        Path out = dir.resolve("gen");
        CliRun run = train(out);
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("finished after 2 steps"), run.out());
        assertTrue(Files.isRegularFile(out.resolve("model_index.json")));
        assertTrue(Files.isRegularFile(out.resolve("unet/diffusion_pytorch_model.safetensors")));
        assertTrue(Files.isRegularFile(out.resolve("training_provenance.json")));
        try (Stream<Path> s = Files.list(out.resolve("validation/step-2"))) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(
                    List.of("00-bright.png", "00-bright.wav", "01-calm.png", "01-calm.wav"), names);
        }
        List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"));
        JsonObject step = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        for (String key : List.of("loss", "lr", "grad_norm", "steps_per_s")) {
            assertTrue(step.has(key), key + " in " + step);
        }
        Path wav = dir.resolve("music.wav");
        CliRun generate =
                CliRun.of(
                        "text-to-audio",
                        "--model",
                        out.toString(),
                        "--prompt",
                        "calm",
                        "--out",
                        wav.toString(),
                        "--width",
                        "64",
                        "--steps",
                        "2");
        assertEquals(0, generate.exitCode(), generate.err());
        assertTrue(Files.size(wav) > 44);

        CliRun again = train(out, "--resume");
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.out().contains("already finished at step 2"), again.out());
    }

    @Test
    void loraRunWritesAdaptersThatGenerationAppliesAtAScale() throws IOException {
        Path out = dir.resolve("lora");
        CliRun run = train(out, "--lora-rank", "2", "--lr", "0.05", "--no-validation");
        assertEquals(0, run.exitCode(), run.err());
        Path lora = out.resolve("pytorch_lora_weights.safetensors");
        assertTrue(Files.isRegularFile(lora));
        assertFalse(Files.exists(out.resolve("unet")), "a LoRA run writes no UNet");
        byte[] plain = generate("plain", null);
        byte[] off = generate("off", lora + ":0");
        byte[] on = generate("on", lora.toString());
        assertArrayEquals(plain, off, "scale 0 leaves the model as it was");
        assertFalse(Arrays.equals(plain, on), "the trained adapters change the spectrogram");
        JsonObject sidecar =
                JsonParser.parseString(Files.readString(dir.resolve("on.json"))).getAsJsonObject();
        assertEquals(
                lora.toAbsolutePath().normalize().toString(),
                sidecar.getAsJsonArray("loras").get(0).getAsJsonObject().get("file").getAsString());
    }

    /** The PNG of a 2-step text-to-audio clip from the init model, with an optional --lora. */
    private byte[] generate(String name, String lora) throws IOException {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "text-to-audio",
                                "--model",
                                init.toString(),
                                "--prompt",
                                "calm",
                                "--out",
                                dir.resolve(name + ".wav").toString(),
                                "--width",
                                "64",
                                "--steps",
                                "2",
                                "--seed",
                                "1"));
        if (lora != null) {
            args.addAll(List.of("--lora", lora));
        }
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        return Files.readAllBytes(dir.resolve(name + ".png"));
    }

    @Test
    void tinyPresetTrainsFromScratchAndGenerationUsesItsSpectrogramFormat() throws IOException {
        Path out = dir.resolve("preset");
        List<String> args =
                List.of(
                        "train-generator",
                        "--data",
                        data.toString(),
                        "--preset",
                        "tiny",
                        "--out",
                        out.toString(),
                        "--epochs",
                        "2",
                        "--width",
                        "64",
                        "--no-validation",
                        "--no-progress");
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        assertFalse(Files.exists(out.resolve("vae")), "pixel space");
        Path wav = dir.resolve("tiny.wav");
        CliRun generate =
                CliRun.of(
                        "text-to-audio",
                        "--model",
                        out.toString(),
                        "--prompt",
                        "bright",
                        "--out",
                        wav.toString(),
                        "--width",
                        "64",
                        "--steps",
                        "2");
        assertEquals(0, generate.exitCode(), generate.err());
        assertEquals(
                64,
                SpectrogramImageIO.read(dir.resolve("tiny.png")).image().getHeight(),
                "sampled at the 64 mel bins the model learnt");
        CliRun both =
                CliRun.of(
                        "train-generator",
                        "--data",
                        data.toString(),
                        "--preset",
                        "tiny",
                        "--init",
                        init.toString(),
                        "--out",
                        dir.resolve("z").toString());
        assertEquals(2, both.exitCode(), "--init and --preset exclude each other");
    }

    @Test
    void checkpointedHalfPrecisionRunsAndBf16IsRefusedWithItsReason() throws IOException {
        Path out = dir.resolve("fp16");
        CliRun run =
                train(
                        out,
                        "--gradient-checkpointing",
                        "--mixed-precision",
                        "fp16",
                        "--no-validation");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("finished after 2 steps"), run.out());
        String provenance = Files.readString(out.resolve("training_provenance.json"));
        assertTrue(provenance.contains("\"mixed_precision\": \"fp16\""), provenance);

        CliRun bf16 = train(dir.resolve("bf16"), "--mixed-precision", "bf16");
        assertEquals(2, bf16.exitCode());
        assertTrue(bf16.err().contains("bfloat16"), bf16.err());
        assertFalse(Files.exists(dir.resolve("bf16")), "nothing written");
    }

    @Test
    void badInputIsOneLineAndExitOne() throws IOException {
        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        CliRun run =
                CliRun.of(
                        "train-generator",
                        "--data",
                        empty.toString(),
                        "--init",
                        init.toString(),
                        "--out",
                        dir.resolve("x").toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("metadata.csv"), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertFalse(Files.exists(dir.resolve("x")), "nothing written");

        CliRun tooWide = train(dir.resolve("y"), "--width", "128");
        assertEquals(1, tooWide.exitCode());
        assertTrue(tooWide.err().contains("shorter than the 128 px"), tooWide.err());
    }

    /** A core golden file (four 80 × 64 tiles of 64 mel bins written by Spark) in {@code to}. */
    private static void parquetFixture(String name, Path to) throws IOException {
        try (var in =
                TrainGeneratorCommandTest.class.getResourceAsStream("/fixtures/parquet/" + name)) {
            Files.createDirectories(to.getParent());
            Files.write(to, in.readAllBytes());
        }
    }

    @Test
    void tinyPresetTrainsOnAParquetDataset() throws IOException {
        Path pq = dir.resolve("pq");
        parquetFixture(
                "snappy-dictionary.parquet", pq.resolve("data/train-00000-of-00001.parquet"));
        Path out = dir.resolve("pq-tiny");
        CliRun run =
                CliRun.of(
                        "train-generator",
                        "--data",
                        pq.toString(),
                        "--preset",
                        "tiny",
                        "--out",
                        out.toString(),
                        "--max-steps",
                        "2",
                        "--width",
                        "64",
                        "--no-validation",
                        "--no-progress");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("after 2 steps"), run.out());
        SpectrogramParams format = SpectrogramFormatFile.read(out);
        assertEquals(64, format.numFrequencies(), "the rows' format: " + format);
        assertEquals(44100, format.sampleRate(), "from the rows' EXIF: " + format);

        Path file = dir.resolve("one.parquet");
        parquetFixture("gzip-v2-delta.parquet", file);
        byte[] cut = Arrays.copyOf(Files.readAllBytes(file), 2000);
        Path bad = dir.resolve("bad.parquet");
        Files.write(bad, cut);
        CliRun broken =
                CliRun.of(
                        "train-generator",
                        "--data",
                        bad.toString(),
                        "--preset",
                        "tiny",
                        "--out",
                        dir.resolve("pq-bad").toString());
        assertEquals(1, broken.exitCode());
        assertTrue(
                broken.err().contains(bad.toAbsolutePath().normalize().toString()), broken.err());
        assertEquals(1, broken.err().strip().lines().count(), broken.err());
    }
}
