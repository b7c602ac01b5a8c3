package image2music.app.cli.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import image2music.app.cli.CliRun;
import image2music.audio.Audio;
import image2music.audio.io.WavReader;
import image2music.pipeline.TinyModels;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code image-to-music} with a tiny random tagger and generator. */
class ImageToMusicCommandTest {

    private static final List<String> LABELS = List.of("bright", "calm", "gloomy", "tense");

    @TempDir static Path shared;
    private static Path tagger;
    private static Path generator;
    private static Path picture;

    @TempDir Path dir;

    @BeforeAll
    static void tinyModelsAndPicture() throws IOException {
        tagger = TinyModels.tagger(shared.resolve("tagger"), LABELS);
        generator = TinyModels.generator(shared.resolve("generator"));
        BufferedImage img = new BufferedImage(48, 32, BufferedImage.TYPE_INT_RGB);
        var g = img.createGraphics();
        g.setColor(new Color(30, 40, 90));
        g.fillRect(0, 0, 48, 32);
        g.setColor(Color.ORANGE);
        g.fillOval(10, 6, 20, 20);
        g.dispose();
        picture = shared.resolve("sunset.png");
        ImageIO.write(img, "png", picture.toFile());
    }

    private static CliRun run(Path picture, Path out, String... extra) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "image-to-music",
                                "--tagger",
                                tagger.toString(),
                                "--generator",
                                generator.toString(),
                                "--image",
                                picture.toString(),
                                "--out",
                                out.toString(),
                                "--width",
                                "64",
                                "--steps",
                                "2",
                                "--seed",
                                "11"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void taggedLabelsBecomeThePromptOfTheSameGenerationAsTextToAudio() throws IOException {
        Path out = dir.resolve("music.wav");
        CliRun r = run(picture, out, "--top-k", "2", "--threshold", "0");
        assertEquals(0, r.exitCode(), r.err());
        JsonObject json =
                JsonParser.parseString(Files.readString(dir.resolve("music.json")))
                        .getAsJsonObject();
        JsonArray labels = json.getAsJsonArray("labels");
        // Threshold 0: exactly top-k labels, most probable first, all from the tagger's set.
        assertEquals(2, labels.size());
        List<String> names = new ArrayList<>();
        for (var l : labels) {
            names.add(l.getAsJsonObject().get("label").getAsString());
        }
        assertTrue(LABELS.containsAll(names), names.toString());
        assertTrue(
                labels.get(0).getAsJsonObject().get("probability").getAsDouble()
                        >= labels.get(1).getAsJsonObject().get("probability").getAsDouble());
        String prompt = json.get("prompt").getAsString();
        assertEquals(String.join(", ", names.stream().sorted().toList()), prompt);
        assertTrue(r.out().contains("prompt: " + prompt), r.out());
        assertEquals("image-to-music", json.get("command").getAsString());
        assertEquals(
                picture.toAbsolutePath().normalize().toString(), json.get("image").getAsString());

        // The generation is text-to-audio's for that prompt and seed, bit for bit.
        Path same = dir.resolve("same.wav");
        CliRun t =
                CliRun.of(
                        "text-to-audio",
                        "--model",
                        generator.toString(),
                        "--prompt",
                        prompt,
                        "--out",
                        same.toString(),
                        "--width",
                        "64",
                        "--steps",
                        "2",
                        "--seed",
                        "11");
        assertEquals(0, t.exitCode(), t.err());
        assertArrayEquals(Files.readAllBytes(same), Files.readAllBytes(out));
        assertArrayEquals(
                Files.readAllBytes(dir.resolve("same.png")),
                Files.readAllBytes(dir.resolve("music.png")));
    }

    @Test
    void secondsMakeOneLongPiece() throws IOException {
        Path out = dir.resolve("long.wav");
        CliRun r = run(picture, out, "--seconds", "1.5", "--overlap", "0.16");
        assertEquals(0, r.exitCode(), r.err());
        Audio audio = WavReader.read(out);
        assertEquals(1.5, audio.durationSeconds(), 0.011);
        JsonObject json =
                JsonParser.parseString(Files.readString(dir.resolve("long.json")))
                        .getAsJsonObject();
        // 151 frames in 64-px clips sharing 16 px: 3 clips.
        assertEquals(3, json.get("clips").getAsInt());
        assertEquals(16, json.get("overlap_px").getAsInt());
    }

    @Test
    void anUnreadablePictureFailsBeforeAnyModelLoadsAndWritesNothing() throws IOException {
        Path junk = dir.resolve("junk.png");
        Files.writeString(junk, "not an image");
        CliRun r = run(junk, dir.resolve("x.wav"));
        assertEquals(1, r.exitCode());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("junk.png"), r.err());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(junk), s.toList());
        }
    }

    @Test
    void badSelectionOrLengthIsRefused() {
        CliRun k = run(picture, dir.resolve("k.wav"), "--top-k", "0");
        assertEquals(2, k.exitCode());
        assertTrue(k.err().contains("--top-k"), k.err());
        CliRun o = run(picture, dir.resolve("o.wav"), "--overlap", "0.5");
        assertEquals(2, o.exitCode());
        assertTrue(o.err().contains("--overlap"), o.err());
    }

    @Test
    void withoutModelsAndWithoutADemoItSaysWhichCommandMakesThem() {
        // The tests run in the module folder, where no demo has been run.
        CliRun r =
                CliRun.of(
                        "image-to-music",
                        "--image",
                        picture.toString(),
                        "--out",
                        dir.resolve("x.wav").toString());
        assertEquals(2, r.exitCode(), "a usage error");
        assertTrue(r.err().contains("./image2music demo"), r.err());
        assertTrue(r.err().contains("demo-output"), r.err());
    }
}
