package image2music.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import image2music.pipeline.TinyModels;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile model files fed through the CLI: each failure is exit 1 with one line naming the file at
 * fault, and none shows the raw text of a JDK or Gson exception (class names, "Input length = 1",
 * "JsonObject", "long overflow").
 */
class HostileInputsTest {

    private static final Pattern RAW =
            Pattern.compile(
                    "[A-Za-z]+(Exception|Error)\\b|com\\.google|java\\.|Json(Object|Array|Primitive)"
                            + "|Input length|For input string|overflow\\b|\\bat image2music");

    @TempDir static Path dir;

    private static Path tagger;
    private static Path generator;
    private static Path picture;

    @BeforeAll
    static void tinyModels() throws IOException {
        tagger = TinyModels.tagger(dir.resolve("tagger"), List.of("calm", "dark"));
        generator = TinyModels.generator(dir.resolve("generator"));
        picture = dir.resolve("picture.png");
        ImageIO.write(
                new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB), "png", picture.toFile());
    }

    private static Path copy(Path from, String name) throws IOException {
        Path to = dir.resolve(name);
        try (var files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
        return to;
    }

    private static void assertOneLineNaming(CliRun r, Path file) {
        assertEquals(1, r.exitCode(), r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "one line: " + err);
        assertTrue(err.startsWith("error: " + file), "names " + file + ": " + err);
        assertFalse(RAW.matcher(err).find(), "raw exception text: " + err);
    }

    private static CliRun tag(Path model) {
        return CliRun.of("tag", "--model", model.toString(), picture.toString());
    }

    private static CliRun generate(Path model) {
        return CliRun.of(
                "text-to-audio",
                "--model",
                model.toString(),
                "--prompt",
                "calm",
                "--steps",
                "1",
                "--width",
                "16",
                "--out",
                dir.resolve("out.wav").toString());
    }

    @Test
    void configThatIsNotUtf8IsNamed() throws IOException {
        Path m = copy(tagger, "latin1");
        Path config = m.resolve("config.json");
        Files.write(config, new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xff, '"', '}'});
        assertOneLineNaming(tag(m), config);
        assertTrue(tag(m).err().contains("not UTF-8"), tag(m).err());
    }

    @Test
    void configValueOfTheWrongJsonTypeIsNamed() throws IOException {
        Path m = copy(generator, "wrong-type");
        Path config = m.resolve("text_encoder").resolve("config.json");
        JsonObject o = JsonParser.parseString(Files.readString(config)).getAsJsonObject();
        o.add("hidden_size", new JsonObject());
        Files.writeString(config, o.toString());
        CliRun r = generate(m);
        assertOneLineNaming(r, config);
        assertTrue(r.err().contains("wrong type"), r.err());
    }

    @Test
    void truncatedSafetensorsIsNamed() throws IOException {
        Path m = copy(tagger, "truncated");
        Path weights = m.resolve("model.safetensors");
        byte[] all = Files.readAllBytes(weights);
        Files.write(weights, java.util.Arrays.copyOf(all, all.length / 2));
        assertOneLineNaming(tag(m), weights);
    }

    @Test
    void folderWhereTheWeightsFileShouldBeIsNamed() throws IOException {
        Path m = copy(tagger, "folder-weights");
        Path weights = m.resolve("model.safetensors");
        Files.delete(weights);
        Files.createDirectory(weights);
        CliRun r = tag(m);
        assertOneLineNaming(r, weights);
        assertTrue(r.err().contains("not a regular file"), r.err());
    }

    @Test
    void safetensorsHeaderWithWrongTypesOrHugeShapesIsNamed() throws IOException {
        for (String shape : List.of("\"x\"", "[4611686018427387904, 4]", "[[1]]")) {
            Path m = copy(generator, "header-" + Math.abs(shape.hashCode()));
            Path weights = m.resolve("unet").resolve("diffusion_pytorch_model.safetensors");
            byte[] header =
                    ("{\"a\":{\"dtype\":\"F32\",\"shape\":" + shape + ",\"data_offsets\":[0,4]}}")
                            .getBytes(StandardCharsets.UTF_8);
            ByteBuffer b =
                    ByteBuffer.allocate(8 + header.length + 4).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(header.length).put(header);
            Files.write(weights, b.array());
            assertOneLineNaming(generate(m), weights);
        }
    }

    @Test
    void mergesThatAreNotTextAreNamed() throws IOException {
        Path m = copy(generator, "binary-merges");
        Path merges = m.resolve("tokenizer").resolve("merges.txt");
        Files.write(merges, new byte[] {'#', 'v', '\n', (byte) 0xfe, ' ', 'a', '\n'});
        CliRun r = CliRun.of("tokenize", "--tokenizer", m.resolve("tokenizer").toString(), "hi");
        assertOneLineNaming(r, merges);
    }

    @Test
    void tokenIdsOutsideTheTextEncodersVocabularyAreRefusedBeforeGenerating() throws IOException {
        Path m = copy(generator, "vocab-id");
        Path vocab = m.resolve("tokenizer").resolve("vocab.json");
        JsonObject o = JsonParser.parseString(Files.readString(vocab)).getAsJsonObject();
        o.addProperty("c", 5000);
        Files.writeString(vocab, o.toString());
        CliRun r = generate(m);
        assertOneLineNaming(r, m);
        assertTrue(r.err().contains("vocab.json has id 5000"), r.err());
        assertFalse(Files.exists(dir.resolve("out.wav")));
    }

    private static void setConfig(Path config, String key, int value) throws IOException {
        JsonObject o = JsonParser.parseString(Files.readString(config)).getAsJsonObject();
        o.addProperty(key, value);
        Files.writeString(config, o.toString());
    }

    private static void assertMisfit(CliRun r, Path weights, Path config, String field) {
        assertOneLineNaming(r, weights);
        assertTrue(r.err().contains("does not fit " + config + ": " + field), r.err());
    }

    @Test
    void aHugeViTConfigIsRefusedFromTheWeightsHeaderBeforeBuilding() throws IOException {
        Path m = copy(tagger, "huge-vit");
        Path config = m.resolve("config.json");
        setConfig(config, "num_hidden_layers", 200);
        setConfig(config, "hidden_size", 4096);
        setConfig(config, "intermediate_size", 16384);
        CliRun r = tag(m);
        assertOneLineNaming(r, m.resolve("model.safetensors"));
        assertTrue(r.err().contains("hidden_size"), r.err());
        setConfig(config, "hidden_size", 16);
        setConfig(config, "intermediate_size", 32);
        assertMisfit(tag(m), m.resolve("model.safetensors"), config, "num_hidden_layers = 200");
    }

    @Test
    void generatorConfigsAreCheckedAgainstTheirWeightsNamingBothFiles() throws IOException {
        String[][] cases = {
            {"unet", "diffusion_pytorch_model.safetensors", "layers_per_block", "3"},
            {"vae", "diffusion_pytorch_model.safetensors", "latent_channels", "8"},
            {"text_encoder", "model.safetensors", "num_hidden_layers", "5"},
            {"text_encoder", "model.safetensors", "hidden_size", "64"},
        };
        for (String[] c : cases) {
            Path m = copy(generator, "misfit-" + c[0] + "-" + c[2]);
            Path config = m.resolve(c[0]).resolve("config.json");
            setConfig(config, c[2], Integer.parseInt(c[3]));
            CliRun r = generate(m);
            Path weights = m.resolve(c[0]).resolve(c[1]);
            assertOneLineNaming(r, weights);
            assertTrue(r.err().contains("does not fit " + config), r.err());
            assertTrue(r.err().contains(c[2]), r.err());
        }
    }

    @Test
    void folderGivenAsAPictureIsNamed() {
        CliRun r = CliRun.of("tag", "--model", tagger.toString(), dir.toString());
        assertOneLineNaming(r, dir);
    }
}
