package image2music.app.cli.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import image2music.app.cli.CliRun;
import image2music.audio.Audio;
import image2music.audio.io.WavReader;
import image2music.audio.io.WavWriter;
import image2music.audio.spectrogram.SpectrogramImageIO;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.models.diffusion.guidance.InpaintMask;
import image2music.pipeline.Recipes;
import image2music.pipeline.TinyModels;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code interpolate} with a tiny random pipeline folder: 64-px clips, 2 steps. */
class InterpolateCommandTest {

    private static final int WIDTH = 64;
    private static final int HEIGHT = 512;
    private static final int HOP = 441;

    @TempDir static Path shared;
    private static Path model;

    @TempDir Path dir;

    @BeforeAll
    static void tinyModel() throws IOException {
        model = TinyModels.generator(shared.resolve("tiny-model"));
    }

    /** Runs {@code interpolate}; {@code extra} holds flag-value pairs that add or override. */
    private static CliRun interpolate(Path out, int between, String... extra) {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("--model", model.toString());
        flags.put("--from", "calm piano");
        flags.put("--to", "fast drums");
        flags.put("--steps-between", String.valueOf(between));
        flags.put("--out", out.toString());
        flags.put("--steps", "2");
        flags.put("--width", String.valueOf(WIDTH));
        flags.put("--overlap", "0.2");
        flags.put("--from-seed", "5");
        flags.put("--to-seed", "6");
        for (int i = 0; i < extra.length; i += 2) {
            flags.put(extra[i], extra[i + 1]);
        }
        List<String> args = new ArrayList<>(List.of("interpolate"));
        flags.forEach(
                (k, v) -> {
                    args.add(k);
                    args.add(v);
                });
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void writesEveryClipAndOneCrossFadedPiece() throws IOException {
        Path out = dir.resolve("morph");
        CliRun r = interpolate(out, 2, "--negative-prompt", "the 9", "--to-guidance", "3");
        assertEquals(0, r.exitCode(), r.err());
        int clipSamples = (WIDTH - 1) * HOP;
        for (int i = 0; i < 4; i++) {
            String stem = String.format("clip-%03d", i);
            assertEquals(clipSamples, WavReader.read(out.resolve(stem + ".wav")).frames(), stem);
            SpectrogramImageIO.Loaded png = SpectrogramImageIO.read(out.resolve(stem + ".png"));
            assertEquals(WIDTH, png.image().getWidth());
            assertEquals(HEIGHT, png.image().getHeight());
            JsonObject json = json(out.resolve(stem + ".json"));
            assertEquals(i / 3.0, json.get("alpha").getAsDouble(), 1e-12);
            assertEquals(7.0 - 4.0 * i / 3.0, json.get("guidance").getAsDouble(), 1e-12);
            assertEquals("calm piano", json.getAsJsonObject("from").get("prompt").getAsString());
            assertEquals(6, json.getAsJsonObject("to").get("seed").getAsLong());
            assertEquals(3.0, json.getAsJsonObject("to").get("guidance").getAsDouble());
            assertEquals("the 9", json.get("negative_prompt").getAsString());
            assertEquals("PNDMScheduler", json.get("scheduler").getAsString());
            assertEquals(2, json.get("steps").getAsInt());
            assertFalse(json.has("strength"), "no init: no strength");
        }
        // 0.2 s overlaps: the piece is 4 clips less 3 overlaps, inverted as one.
        Audio joined = WavReader.read(out.resolve("interpolation.wav"));
        assertEquals(4 * clipSamples - 3 * (int) Math.round(0.2 * 44100), joined.frames());
        assertEquals(
                joined.frames() / HOP + 1,
                SpectrogramImageIO.read(out.resolve("interpolation.png")).image().getWidth());
        JsonObject piece = json(out.resolve("interpolation.json"));
        assertEquals(4, piece.getAsJsonArray("clip_files").size());
        assertEquals(21, piece.get("overlap_frames").getAsInt());
        assertEquals(0.2, piece.get("overlap_s").getAsDouble(), 1e-9);
        byte[] first = Files.readAllBytes(out.resolve("clip-000.png"));
        byte[] middle = Files.readAllBytes(out.resolve("clip-001.png"));
        byte[] last = Files.readAllBytes(out.resolve("clip-003.png"));
        assertFalse(Arrays.equals(first, middle));
        assertFalse(Arrays.equals(last, middle));
        assertTrue(r.out().contains("interpolation.wav"), r.out());
    }

    @Test
    void theFirstClipIsTheFirstPromptGeneratedAlone() throws IOException {
        Path out = dir.resolve("ends");
        assertEquals(0, interpolate(out, 0).exitCode());
        Path alone = dir.resolve("alone.wav");
        CliRun t =
                CliRun.of(
                        "text-to-audio",
                        "--model",
                        model.toString(),
                        "--prompt",
                        "calm piano",
                        "--seed",
                        "5",
                        "--steps",
                        "2",
                        "--width",
                        String.valueOf(WIDTH),
                        "--out",
                        alone.toString());
        assertEquals(0, t.exitCode(), t.err());
        assertArrayEquals(
                Files.readAllBytes(dir.resolve("alone.png")),
                Files.readAllBytes(out.resolve("clip-000.png")));
        assertArrayEquals(
                Files.readAllBytes(dir.resolve("alone.wav")),
                Files.readAllBytes(out.resolve("clip-000.wav")));
    }

    @Test
    void aRerunKeepsFinishedClipsAndRedoesTheMissingOneIdentically() throws IOException {
        Path out = dir.resolve("resume");
        assertEquals(0, interpolate(out, 1).exitCode());
        byte[] piece = Files.readAllBytes(out.resolve("interpolation.wav"));
        byte[] middle = Files.readAllBytes(out.resolve("clip-001.png"));
        Files.delete(out.resolve("clip-001.json"));
        Files.delete(out.resolve("interpolation.wav"));
        CliRun again = interpolate(out, 1);
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.out().contains("kept " + out.resolve("clip-000.wav")), again.out());
        assertTrue(again.out().contains("kept " + out.resolve("clip-002.wav")), again.out());
        assertTrue(again.out().contains("wrote " + out.resolve("clip-001.wav")), again.out());
        assertArrayEquals(middle, Files.readAllBytes(out.resolve("clip-001.png")));
        assertArrayEquals(piece, Files.readAllBytes(out.resolve("interpolation.wav")));
        // A clip is kept only for the same settings.
        Path wav = out.resolve("clip-000.wav");
        JsonObject recipe = json(out.resolve("clip-000.json"));
        for (String measured : List.of("sample_rate", "duration_s", "timings")) {
            recipe.remove(measured);
        }
        assertTrue(Recipes.keptClip(wav, recipe, WIDTH, HEIGHT) != null);
        assertEquals(null, Recipes.keptClip(wav, recipe, WIDTH * 2, HEIGHT));
        recipe.getAsJsonObject("to").addProperty("seed", 7);
        assertEquals(null, Recipes.keptClip(wav, recipe, WIDTH, HEIGHT));
    }

    @Test
    void anInitImageWithAMaskKeepsTheUnmaskedPixelsOfEveryClip() throws IOException {
        BufferedImage init = stripes(WIDTH, HEIGHT);
        Path initPng = dir.resolve("init.png");
        SpectrogramImageIO.write(initPng, init, SpectrogramParams.defaults(), 30e6);
        BufferedImage maskImage = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = WIDTH / 2; x < WIDTH; x++) {
                maskImage.setRGB(x, y, 0xffffff);
            }
        }
        Path maskPng = dir.resolve("mask.png");
        ImageIO.write(maskImage, "png", maskPng.toFile());
        Path out = dir.resolve("img2img");
        CliRun r =
                interpolate(
                        out,
                        1,
                        "--init-image",
                        initPng.toString(),
                        "--mask",
                        maskPng.toString(),
                        "--from-strength",
                        "0.5",
                        "--to-strength",
                        "1",
                        "--steps",
                        "4");
        assertEquals(0, r.exitCode(), r.err());
        InpaintMask mask = InpaintMask.of(maskImage);
        for (int i = 0; i < 3; i++) {
            BufferedImage clip =
                    SpectrogramImageIO.read(out.resolve(String.format("clip-%03d.png", i))).image();
            int changed = 0;
            for (int y = 0; y < HEIGHT; y++) {
                for (int x = 0; x < WIDTH; x++) {
                    if (mask.regenerates(y, x)) {
                        changed += clip.getRGB(x, y) != init.getRGB(x, y) ? 1 : 0;
                    } else {
                        assertEquals(init.getRGB(x, y), clip.getRGB(x, y), "clip " + i);
                    }
                }
            }
            assertTrue(changed > 0, "clip " + i + " changed nothing");
        }
        JsonObject middle = json(out.resolve("clip-001.json"));
        assertEquals(0.75, middle.get("strength").getAsDouble(), 1e-12);
        assertEquals(0.5, middle.getAsJsonObject("from").get("strength").getAsDouble());
        assertEquals(64, middle.getAsJsonObject("init").get("sha256").getAsString().length());
        assertTrue(middle.has("mask"));
    }

    @Test
    void anInitAudioFileSeedsTheClips() throws IOException {
        Path wav = dir.resolve("seed.wav");
        float[] tone = new float[44100];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / 44100.0));
        }
        WavWriter.write(wav, Audio.mono(tone, 44100));
        Path out = dir.resolve("from-audio");
        CliRun r = interpolate(out, 0, "--init-audio", wav.toString(), "--from-strength", "0");
        assertEquals(0, r.exitCode(), r.err());
        // Strength 0 keeps the seed spectrogram as it is: a 440 Hz line, the rest silent.
        BufferedImage clip = SpectrogramImageIO.read(out.resolve("clip-000.png")).image();
        long dark = Arrays.stream(pixels(clip)).filter(p -> (p & 0xff) < 128).count();
        assertTrue(dark > 0 && dark < (long) WIDTH * HEIGHT / 10, dark + " loud pixels");

        Path shortWav = dir.resolve("short.wav");
        WavWriter.write(shortWav, Audio.mono(new float[4410], 44100));
        CliRun tooShort = interpolate(dir.resolve("none"), 0, "--init-audio", shortWav.toString());
        assertFailsNaming(tooShort, "short.wav", dir.resolve("none"));
    }

    @Test
    void badInputFailsWithOneLineAndWritesNothing() throws IOException {
        Path out = dir.resolve("never");
        assertUsageError(interpolate(out, -1), "--steps-between", out);
        assertUsageError(interpolate(out, 1, "--to-strength", "1.5"), "--to-strength", out);
        assertUsageError(interpolate(out, 1, "--overlap", "0.7"), "--overlap", out);
        Path notAnImage = dir.resolve("noise.png");
        Files.writeString(notAnImage, "not a png");
        assertFailsNaming(
                interpolate(out, 1, "--init-image", notAnImage.toString()), "noise.png", out);
        BufferedImage small = new BufferedImage(32, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Path maskPng = dir.resolve("small-mask.png");
        ImageIO.write(small, "png", maskPng.toFile());
        Path initPng = dir.resolve("init.png");
        SpectrogramImageIO.write(
                initPng, stripes(WIDTH, HEIGHT), SpectrogramParams.defaults(), 30e6);
        assertFailsNaming(
                interpolate(
                        out, 1, "--init-image", initPng.toString(), "--mask", maskPng.toString()),
                "small-mask.png",
                out);
        assertUsageError(interpolate(out, 1, "--mask", maskPng.toString()), "--mask", out);
        Path broken = dir.resolve("broken-model");
        Files.createDirectories(broken);
        CliRun noModel =
                CliRun.of(
                        "interpolate",
                        "--model",
                        broken.toString(),
                        "--from",
                        "a",
                        "--to",
                        "b",
                        "--steps-between",
                        "1",
                        "--out",
                        out.toString());
        assertFailsNaming(noModel, "model_index.json", out);
        assertFailsNaming(interpolate(out, 1, "--width", "72"), "width 72", out);
    }

    @Test
    void usageErrorsExitTwo() {
        Path out = dir.resolve("usage");
        assertEquals(
                2,
                interpolate(out, 1, "--init-image", "a.png", "--init-audio", "b.wav").exitCode());
        assertEquals(2, interpolate(out, 1, "--steps", "x").exitCode());
        assertEquals(
                2,
                CliRun.of("interpolate", "--model", "m", "--from", "a", "--out", "o").exitCode());
        assertFalse(Files.exists(out));
    }

    private static void assertUsageError(CliRun r, String what, Path out) {
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().startsWith(what), r.err());
        assertFalse(Files.exists(out), out + " was created");
    }

    private static void assertFailsNaming(CliRun r, String what, Path out) {
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("error: ") && r.err().contains(what), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertFalse(Files.exists(out), out + " was created");
    }

    private static JsonObject json(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }

    /** Horizontal bands of grey levels, like a spectrogram's harmonics. */
    private static BufferedImage stripes(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            int g = (y / 8) % 2 == 0 ? 40 : 220;
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (g << 16) | (g << 8) | g);
            }
        }
        return img;
    }

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }
}
