package image2music.app.cli.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import image2music.models.vit.LabelScore;
import image2music.models.vit.RgbImages;
import image2music.models.vit.ViTTagger;
import image2music.pipeline.TinyModels;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TagCommandTest {

    @TempDir Path dir;

    private Path model;
    private Path red;
    private Path gray;

    @BeforeEach
    void tinyModelAndImages() throws IOException {
        model = dir.resolve("tagger");
        TinyModels.tagger(model, List.of("calm", "dark", "happy", "tense"));
        red = image("red.png", Color.RED, BufferedImage.TYPE_INT_RGB);
        gray = image("gray.png", Color.GRAY, BufferedImage.TYPE_BYTE_GRAY);
    }

    private Path image(String name, Color colour, int type) throws IOException {
        BufferedImage img = new BufferedImage(40, 24, type);
        var g = img.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, 40, 24);
        g.setColor(Color.WHITE);
        g.fillRect(5, 5, 10, 10);
        g.dispose();
        Path p = dir.resolve(name);
        ImageIO.write(img, "png", p.toFile());
        return p;
    }

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        CommandLine cl = image2music.app.cli.Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void jsonLinesListLabelsMostProbableFirstWithTheModelsProbabilities() throws IOException {
        Run r =
                run(
                        "tag",
                        "--model",
                        model.toString(),
                        "--json",
                        "--top-k",
                        "4",
                        "--threshold",
                        "0",
                        red.toString(),
                        gray.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.size());
        try (ViTTagger t = ViTTagger.open(model)) {
            List<List<LabelScore>> expected =
                    t.tag(List.of(RgbImages.read(red), RgbImages.read(gray)));
            for (int i = 0; i < 2; i++) {
                JsonObject o = JsonParser.parseString(lines.get(i)).getAsJsonObject();
                assertEquals(List.of(red, gray).get(i).toString(), o.get("image").getAsString());
                JsonArray labels = o.getAsJsonArray("labels");
                assertEquals(4, labels.size());
                for (int j = 0; j < 4; j++) {
                    JsonObject l = labels.get(j).getAsJsonObject();
                    assertEquals(expected.get(i).get(j).label(), l.get("label").getAsString());
                    assertEquals(
                            expected.get(i).get(j).probability(),
                            l.get("probability").getAsDouble(),
                            1e-4);
                    if (j > 0) {
                        assertTrue(
                                l.get("probability").getAsDouble()
                                        <= labels.get(j - 1)
                                                .getAsJsonObject()
                                                .get("probability")
                                                .getAsDouble());
                    }
                }
            }
            // Sigmoid per label (multi-label): probabilities need not sum to 1.
            double sum = expected.get(0).stream().mapToDouble(LabelScore::probability).sum();
            assertTrue(Math.abs(sum - 1) > 1e-3, "sum " + sum);
        }
    }

    @Test
    void unreadableImagesGetOneErrorLineEachAndExitCodeOne() throws IOException {
        Path bad = dir.resolve("bad.jpg");
        Files.writeString(bad, "nope");
        Path missing = dir.resolve("missing.png");
        Run r =
                run(
                        "tag",
                        "--model",
                        model.toString(),
                        "--top-k",
                        "1",
                        red.toString(),
                        bad.toString(),
                        missing.toString(),
                        gray.toString());
        assertEquals(1, r.code());
        List<String> out = r.out().lines().toList();
        assertEquals(2, out.size(), r.out());
        assertTrue(out.get(0).startsWith(red + ": "), out.get(0));
        assertTrue(out.get(0).matches(".*: (calm|dark|happy|tense) \\d\\.\\d\\d"), out.get(0));
        List<String> err = r.err().lines().toList();
        assertEquals(2, err.size(), r.err());
        assertTrue(err.get(0).startsWith("error: " + bad), err.get(0));
        assertTrue(err.get(1).startsWith("error: " + missing), err.get(1));
    }

    @Test
    void aMissingModelFolderIsOneClearError() {
        Run r = run("tag", "--model", dir.resolve("nope").toString(), red.toString());
        assertEquals(1, r.code());
        assertTrue(
                r.err().startsWith("error: " + dir.resolve("nope").resolve("config.json")),
                r.err());
    }

    @Test
    void selectionKeepsTopKAboveThresholdButAlwaysTheBest() {
        List<LabelScore> ranked = List.of(new LabelScore("a", 0.4f), new LabelScore("b", 0.3f));
        assertEquals(List.of(ranked.get(0)), ViTTagger.select(ranked, 3, 0.5f));
        assertEquals(ranked, ViTTagger.select(ranked, 3, 0.2f));
        assertEquals(List.of(ranked.get(0)), ViTTagger.select(ranked, 1, 0f));
    }
}
