package image2music.app.cli.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import image2music.app.cli.Main;
import image2music.models.clip.CLIPTokenizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TokenizeCommandTest {

    @TempDir Path dir;

    private Path tokenizer;

    /** A hand-made vocabulary in which "cat" is one token after the merges "c a", "ca t</w>". */
    @BeforeEach
    void tinyTokenizer() throws IOException {
        tokenizer = dir.resolve("tokenizer");
        Map<String, Integer> vocab =
                Map.of(
                        "a</w>", 1,
                        "c", 2,
                        "a", 3,
                        "t</w>", 4,
                        "ca", 5,
                        "cat</w>", 6,
                        "<|startoftext|>", 7,
                        "<|endoftext|>", 8);
        new CLIPTokenizer(vocab, List.of("c a", "ca t</w>"), 6, "<|endoftext|>").save(tokenizer);
    }

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static List<Long> ids(String line) {
        JsonArray a = JsonParser.parseString(line).getAsJsonObject().getAsJsonArray("input_ids");
        return a.asList().stream().map(e -> e.getAsLong()).toList();
    }

    @Test
    void printsOneJsonObjectPerTextWithPaddedIds() {
        Run r =
                run(
                        "tokenize",
                        "--tokenizer",
                        tokenizer.toString(),
                        "A  Cat",
                        "cat cat cat cat cat");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.size(), r.out());
        JsonObject first = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertEquals("A  Cat", first.get("text").getAsString());
        assertEquals(List.of(7L, 1L, 6L, 8L, 8L, 8L), ids(lines.get(0)));
        // Five tokens do not fit model_max_length 6: four are kept, EOS stays last.
        assertEquals(List.of(7L, 6L, 6L, 6L, 6L, 8L), ids(lines.get(1)));
    }

    @Test
    void acceptsAPipelineFolderHoldingTokenizer() {
        Run r = run("tokenize", "--tokenizer", dir.toString(), "cat");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of(7L, 6L, 8L, 8L, 8L, 8L), ids(r.out().strip()));
    }

    @Test
    void aMissingTokenizerFolderIsOneClearError() {
        Run r = run("tokenize", "--tokenizer", dir.resolve("nope").toString(), "x");
        assertEquals(1, r.code());
        assertEquals(
                "error: " + dir.resolve("nope").resolve("vocab.json") + ": no such file or folder",
                r.err().strip());
    }

    @Test
    void noTextIsAUsageError() {
        assertEquals(2, run("tokenize", "--tokenizer", tokenizer.toString()).code());
    }
}
