package image2music.app.cli.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import image2music.app.cli.CliRun;
import image2music.audio.Audio;
import image2music.audio.SyntheticMusic;
import image2music.audio.io.WavReader;
import image2music.audio.io.WavWriter;
import image2music.audio.longform.ClipPlan;
import image2music.audio.longform.SeamMetrics;
import image2music.audio.longform.SeamReport;
import image2music.audio.spectrogram.Spectrogram;
import image2music.audio.spectrogram.SpectrogramConverter;
import image2music.audio.spectrogram.SpectrogramImage;
import image2music.audio.spectrogram.SpectrogramImageIO;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.models.diffusion.guidance.InpaintMask;
import image2music.pipeline.TinyModels;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audio-to-audio} with a tiny random pipeline folder, mostly on 64-bin spectrogram images
 * (their EXIF says so) to keep windows small.
 */
class AudioToAudioCommandTest {

    static final SpectrogramParams PARAMS_64 =
            new SpectrogramParams(false, 44100, 10, 100, 400, 64, 0, 10000, 0.25, 16);

    @TempDir static Path shared;
    private static Path model;
    private static Path music2s;
    private static BufferedImage music2sImage;

    @TempDir Path dir;

    @BeforeAll
    static void tinyModelAndInputs() throws IOException {
        model = TinyModels.generator(shared.resolve("tiny-model"));
        music2sImage = musicImage(2.0, 5);
        music2s = shared.resolve("music-2s.png");
        SpectrogramImageIO.write(
                music2s, music2sImage, PARAMS_64, SpectrogramImage.DEFAULT_MAX_VALUE);
    }

    /** The 64-bin spectrogram image of {@code seconds} of synthetic music. */
    static BufferedImage musicImage(double seconds, long seed) {
        Audio audio = SyntheticMusic.clip(seconds, 44100, seed);
        return SpectrogramImage.fromSpectrogram(
                new SpectrogramConverter(PARAMS_64).spectrogramFromAudio(audio));
    }

    private static CliRun restyle(String inputFlag, Path input, Path out, String... extra) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "audio-to-audio",
                                "--model",
                                model.toString(),
                                inputFlag,
                                input.toString(),
                                "--prompt",
                                "gloomy piano",
                                "--out",
                                out.toString(),
                                "--guidance",
                                "1",
                                "--seed",
                                "3"));
        args.addAll(List.of(extra));
        if (!args.contains("--width")) {
            args.addAll(List.of("--width", "64", "--steps", "4"));
        }
        return CliRun.of(args.toArray(String[]::new));
    }

    /**
     * 30 s of synthetic music through eight overlapping 512-px windows at strength 0 (the windows
     * come back as they went in, so the music's structure survives a random model): same length,
     * same pixels within the 8-bit round trip, and the measures on the written PNG: no flux
     * spike at a join, no loop at the window stride. Windows cut or stitched in the wrong place
     * would show at the joins.
     */
    @Test
    void thirtySecondsInThirtySecondsOutWithoutSeamsOrLoop() throws IOException {
        Path in = dir.resolve("music-30s.png");
        BufferedImage music = musicImage(30, 9);
        SpectrogramImageIO.write(in, music, PARAMS_64, SpectrogramImage.DEFAULT_MAX_VALUE);
        Path out = dir.resolve("styled.wav");
        CliRun r = restyle("--image", in, out, "--width", "512", "--steps", "4", "--strength", "0");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(30.0, WavReader.read(out).durationSeconds(), 0.01);
        SpectrogramImageIO.Loaded png = SpectrogramImageIO.read(dir.resolve("styled.png"));
        assertEquals(3001, png.image().getWidth());
        assertEquals(64, png.params().numFrequencies());
        int[] before = pixels(music);
        int[] after = pixels(png.image());
        for (int p = 0; p < before.length; p++) {
            assertTrue(Math.abs((before[p] & 0xFF) - (after[p] & 0xFF)) <= 1, "pixel " + p);
        }
        JsonObject json = json(dir.resolve("styled.json"));
        assertEquals("audio-to-audio", json.get("command").getAsString());
        assertEquals(0.0, json.get("strength").getAsDouble());
        assertEquals(
                in.toAbsolutePath().normalize().toString(), json.get("input_image").getAsString());
        assertEquals(3, json.get("seed").getAsLong());
        // Default overlap: a quarter of the window, 128 px = 1.28 s.
        assertEquals(128, json.get("overlap_px").getAsInt());
        assertEquals(1.28, json.get("overlap_s").getAsDouble(), 1e-9);
        ClipPlan plan = new ClipPlan(3001, 512, 128);
        assertEquals(plan.clipCount(), json.get("clips").getAsInt());
        assertEquals(plan.clipCount(), json.getAsJsonArray("clip_seeds").size());
        // The measures, on the written result.
        Spectrogram s =
                SpectrogramImage.toSpectrogram(
                        png.image(), png.params(), SpectrogramImage.DEFAULT_MAX_VALUE);
        int[] joins = new int[plan.clipCount() - 1];
        for (int i = 1; i < plan.clipCount(); i++) {
            joins[i - 1] = plan.start(i) + plan.overlap() / 2;
        }
        SeamReport seams = SeamMetrics.seams(s, joins, 1);
        double loop = SeamMetrics.autocorrelation(s, plan.stride());
        String figures =
                Arrays.toString(seams.joinFlux())
                        + " vs typical "
                        + seams.typicalFlux()
                        + ", autocorrelation "
                        + loop;
        assertTrue(seams.seamless(), figures);
        assertTrue(loop < 0.5, figures);
    }

    @Test
    void audioInputShorterThanAWindowComesBackAtItsLength() throws IOException {
        Path in = dir.resolve("in.wav");
        WavWriter.write(in, SyntheticMusic.clip(0.5, 22050, 2));
        Path out = dir.resolve("out.wav");
        CliRun r = restyle("--audio", in, out, "--strength", "0.7");
        assertEquals(0, r.exitCode(), r.err());
        Audio audio = WavReader.read(out);
        assertEquals(44100, audio.sampleRate());
        assertEquals(0.5, audio.durationSeconds(), 0.01);
        BufferedImage png = ImageIO.read(dir.resolve("out.png").toFile());
        assertEquals(51, png.getWidth());
        assertEquals(512, png.getHeight());
        JsonObject json = json(dir.resolve("out.json"));
        assertEquals(
                in.toAbsolutePath().normalize().toString(), json.get("input_audio").getAsString());
        assertEquals(0.7, json.get("strength").getAsDouble());
    }

    @Test
    void maskedPixelsChangeUnmaskedOnesComeOutExactlyAndSeedsRepeat() throws IOException {
        int w = music2sImage.getWidth();
        InpaintMask regenerate = InpaintMask.timeSpan(w, 64, 0.4, 1.2, PARAMS_64);
        BufferedImage drawn = new BufferedImage(w, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < w; x++) {
                drawn.setRGB(x, y, regenerate.regenerates(y, x) ? 0xFFFFFF : 0);
            }
        }
        Path mask = dir.resolve("mask.png");
        ImageIO.write(drawn, "png", mask.toFile());
        CliRun a = restyle("--image", music2s, dir.resolve("a.wav"), "--mask", mask.toString());
        CliRun b = restyle("--image", music2s, dir.resolve("b.wav"), "--mask", mask.toString());
        assertEquals(0, a.exitCode(), a.err());
        assertEquals(0, b.exitCode(), b.err());
        BufferedImage out = ImageIO.read(dir.resolve("a.png").toFile());
        int changed = 0;
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < w; x++) {
                int before = music2sImage.getRGB(x, y) & 0xFFFFFF;
                int after = out.getRGB(x, y) & 0xFFFFFF;
                if (regenerate.regenerates(y, x)) {
                    changed += before != after ? 1 : 0;
                } else {
                    assertEquals(before, after, "kept pixel " + x + "," + y);
                }
            }
        }
        assertTrue(changed > regenerate.count() / 2, changed + " of " + regenerate.count());
        assertArrayEquals(pixels(out), pixels(ImageIO.read(dir.resolve("b.png").toFile())));
        assertEquals(
                mask.toAbsolutePath().normalize().toString(),
                json(dir.resolve("a.json")).get("mask").getAsString());
    }

    @Test
    void maskSecondsAndHzRegenerateOnlyTheirRectangle() throws IOException {
        int w = music2sImage.getWidth();
        CliRun r =
                restyle(
                        "--image",
                        music2s,
                        dir.resolve("r.wav"),
                        "--mask-seconds",
                        "0.4:1.2",
                        "--mask-hz",
                        "500:3000");
        assertEquals(0, r.exitCode(), r.err());
        InpaintMask rectangle =
                InpaintMask.timeSpan(w, 64, 0.4, 1.2, PARAMS_64)
                        .inverted()
                        .or(InpaintMask.frequencyBand(w, 64, 500, 3000, PARAMS_64).inverted())
                        .inverted();
        assertTrue(rectangle.count() > 0 && rectangle.count() < w * 64 / 4);
        BufferedImage out = ImageIO.read(dir.resolve("r.png").toFile());
        int changed = 0;
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < w; x++) {
                int before = music2sImage.getRGB(x, y) & 0xFFFFFF;
                int after = out.getRGB(x, y) & 0xFFFFFF;
                if (rectangle.regenerates(y, x)) {
                    changed += before != after ? 1 : 0;
                } else {
                    assertEquals(before, after, "kept pixel " + x + "," + y);
                }
            }
        }
        assertTrue(changed > rectangle.count() / 2, changed + " of " + rectangle.count());
        assertEquals("0.4:1.2", json(dir.resolve("r.json")).get("mask_seconds").getAsString());
        CliRun bad = restyle("--image", music2s, dir.resolve("x.wav"), "--mask-hz", "3000:500");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("FROM:TO"), bad.err());
    }

    @Test
    void aMaskOfTheWrongSizeFailsInOneLineNamingItAndWritesNothing() throws IOException {
        Path mask = dir.resolve("small-mask.png");
        ImageIO.write(new BufferedImage(100, 64, BufferedImage.TYPE_INT_RGB), "png", mask.toFile());
        CliRun r = restyle("--image", music2s, dir.resolve("x.wav"), "--mask", mask.toString());
        assertEquals(1, r.exitCode());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("error: " + mask), r.err());
        assertTrue(r.err().contains("100x64"), r.err());
        assertOnlyInputs(mask);
    }

    @Test
    void strengthOutsideZeroToOneIsAUsageError() throws IOException {
        CliRun r = restyle("--image", music2s, dir.resolve("x.wav"), "--strength", "5");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("--strength must be in [0, 1], got 5.0"), r.err());
        assertOnlyInputs();
    }

    @Test
    void unreadableInputAndMissingModelFailNamingTheFile() throws IOException {
        Path junk = dir.resolve("junk.wav");
        Files.writeString(junk, "not audio at all");
        CliRun r = restyle("--audio", junk, dir.resolve("x.wav"));
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("error: ") && r.err().contains(junk.toString()), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        Path empty = dir.resolve("no-model");
        Files.createDirectories(empty);
        CliRun m =
                CliRun.of(
                        "audio-to-audio",
                        "--model",
                        empty.toString(),
                        "--image",
                        music2s.toString(),
                        "--prompt",
                        "x",
                        "--out",
                        dir.resolve("y.wav").toString());
        assertEquals(1, m.exitCode(), m.err());
        assertTrue(m.err().contains("model_index.json"), m.err());
        assertOnlyInputs(junk, empty);
    }

    @Test
    void usageErrorsExitTwo() {
        Path out = dir.resolve("z.wav");
        // Both inputs, or neither.
        assertEquals(2, restyle("--image", music2s, out, "--audio", music2s.toString()).exitCode());
        assertEquals(
                2,
                CliRun.of(
                                "audio-to-audio",
                                "--model",
                                model.toString(),
                                "--prompt",
                                "x",
                                "--out",
                                out.toString())
                        .exitCode());
        // An overlap as long as a window.
        assertEquals(2, restyle("--image", music2s, out, "--overlap", "0.64").exitCode());
        assertEquals(2, restyle("--image", music2s, dir.resolve("z.mp3")).exitCode());
    }

    private void assertOnlyInputs(Path... inputs) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(
                    Arrays.stream(inputs).sorted().toList(),
                    s.sorted().toList(),
                    "files in " + dir);
        }
    }

    static JsonObject json(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }

    static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }
}
