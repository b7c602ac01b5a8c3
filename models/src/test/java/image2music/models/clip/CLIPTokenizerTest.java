package image2music.models.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import image2music.models.Fixtures;
import image2music.models.nn.HfConfigs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** openai CLIP's tokenisations of the 54 reference prompts (fixtures/clip_tokenizer). */
class CLIPTokenizerTest {

    private static final Path DIR = Fixtures.path("clip_tokenizer");

    private static CLIPTokenizer tokenizer;
    private static List<JsonObject> cases;

    @TempDir Path tmp;

    @BeforeAll
    static void load() throws IOException {
        tokenizer = CLIPTokenizer.load(DIR);
        cases = new ArrayList<>();
        for (JsonElement e :
                JsonParser.parseString(
                                Files.readString(DIR.resolve("cases.json"), StandardCharsets.UTF_8))
                        .getAsJsonArray()) {
            cases.add(e.getAsJsonObject());
        }
    }

    private static long[] longs(JsonArray a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsLong();
        }
        return out;
    }

    private static long[] longs(int[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = a[i];
        }
        return out;
    }

    @Test
    void vocabularyHasTheDocumentedIds() {
        assertEquals(49408, tokenizer.vocabSize());
        assertEquals(48894, tokenizer.merges().size());
        assertEquals(49406, tokenizer.bosId());
        assertEquals(49407, tokenizer.eosId());
        assertEquals(49407, tokenizer.padId());
        assertEquals(77, tokenizer.maxLength());
        assertEquals(320, tokenizer.vocab().get("a</w>"));
        assertEquals(220, tokenizer.vocab().get("\u0120"));
        assertEquals(188, tokenizer.vocab().get("\u0100"));
    }

    @Test
    void everyReferenceCaseGivesOpenaisIds() {
        assertEquals(54, cases.size());
        List<String> failures = new ArrayList<>();
        for (JsonObject c : cases) {
            String text = c.get("text").getAsString();
            long[] ids = longs(tokenizer.encode(text));
            if (!java.util.Arrays.equals(longs(c.getAsJsonArray("ids")), ids)) {
                failures.add(
                        text
                                + " -> "
                                + java.util.Arrays.toString(ids)
                                + " expected "
                                + c.getAsJsonArray("ids"));
            }
        }
        assertTrue(
                failures.isEmpty(),
                failures.size() + " cases differ:\n" + String.join("\n", failures));
    }

    @Test
    void everyReferenceCaseGivesDiffusersInputRow() {
        for (JsonObject c : cases) {
            String text = c.get("text").getAsString();
            assertArrayEquals(
                    longs(c.getAsJsonArray("input_ids_77")), tokenizer.inputIds(text), text);
        }
    }

    @Test
    void padsWithZeroWhenThePadTokenIsExclamationMark() throws IOException {
        Path dir = tmp.resolve("sd2");
        Files.createDirectories(dir);
        Files.copy(DIR.resolve("vocab.json"), dir.resolve("vocab.json"));
        Files.copy(DIR.resolve("merges.txt"), dir.resolve("merges.txt"));
        JsonObject config = new JsonObject();
        config.addProperty("model_max_length", 77);
        JsonObject pad = new JsonObject();
        pad.addProperty("content", "!");
        config.add("pad_token", pad);
        HfConfigs.write(dir.resolve("tokenizer_config.json"), config);
        CLIPTokenizer sd2 = CLIPTokenizer.load(dir);
        assertEquals(0, sd2.padId());
        for (JsonObject c : cases) {
            long[] sd1 = longs(c.getAsJsonArray("input_ids_77"));
            int used = 2 + Math.min(c.getAsJsonArray("ids").size(), 75);
            long[] expected = sd1.clone();
            java.util.Arrays.fill(expected, used, expected.length, 0L);
            assertArrayEquals(expected, sd2.inputIds(c.get("text").getAsString()));
        }
    }

    @Test
    void savedFolderLoadsBackToTheSameTokenizer() throws IOException {
        Path dir = tmp.resolve("tokenizer");
        tokenizer.save(dir);
        JsonObject config = HfConfigs.read(dir.resolve("tokenizer_config.json"));
        assertEquals(77, config.get("model_max_length").getAsInt());
        assertEquals("CLIPTokenizer", config.get("tokenizer_class").getAsString());
        JsonObject special = HfConfigs.read(dir.resolve("special_tokens_map.json"));
        assertEquals("<|endoftext|>", special.get("pad_token").getAsString());
        assertEquals("<|startoftext|>", special.get("bos_token").getAsString());
        assertEquals(
                Files.readAllLines(DIR.resolve("merges.txt")),
                Files.readAllLines(dir.resolve("merges.txt")));
        CLIPTokenizer back = CLIPTokenizer.load(dir);
        assertEquals(tokenizer.vocab(), back.vocab());
        assertEquals(tokenizer.padId(), back.padId());
        for (JsonObject c : cases) {
            String text = c.get("text").getAsString();
            assertArrayEquals(tokenizer.inputIds(text), back.inputIds(text), text);
        }
    }

    @Test
    void aFolderWithoutMergesFailsNamingTheFile() throws IOException {
        Path dir = tmp.resolve("broken");
        Files.createDirectories(dir);
        Files.copy(DIR.resolve("vocab.json"), dir.resolve("vocab.json"));
        NoSuchFileException e =
                assertThrows(NoSuchFileException.class, () -> CLIPTokenizer.load(dir));
        assertTrue(e.getMessage().contains("merges.txt"), e.getMessage());
    }

    /** A copy of the reference tokenizer folder with {@code token}'s id replaced by {@code id}. */
    private Path withId(String name, String token, String id) throws IOException {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        Files.copy(DIR.resolve("merges.txt"), dir.resolve("merges.txt"));
        JsonObject vocab = HfConfigs.read(DIR.resolve("vocab.json"));
        vocab.add(token, JsonParser.parseString(id));
        Files.writeString(dir.resolve("vocab.json"), vocab.toString());
        return dir;
    }

    @Test
    void idsOutOfRangeOrNotWholeNumbersAreRefusedNamingTheFile() throws IOException {
        String[] bad = {"-5", "1000000000", "2.5", "[1]", "\"7\"", "1e300"};
        for (int i = 0; i < bad.length; i++) {
            Path dir = withId("bad-id-" + i, "cat</w>", bad[i]);
            IOException e = assertThrows(IOException.class, () -> CLIPTokenizer.load(dir));
            assertTrue(
                    e.getMessage().startsWith(dir.resolve("vocab.json") + ": token 'cat</w>'"),
                    e.getMessage());
        }
    }

    @Test
    void modelMaxLengthIsBoundedAndHfsNoLimitSentinelMeans77() throws IOException {
        Path dir = withId("max-length", "cat</w>", "1000");
        Path cfg = dir.resolve(CLIPTokenizer.TOKENIZER_CONFIG);
        Files.writeString(cfg, "{\"model_max_length\": 1000000000000000019884624838656}");
        assertEquals(77, CLIPTokenizer.load(dir).maxLength());
        for (String v : List.of("100000", "1", "12.5", "\"long\"", "[77]")) {
            Files.writeString(cfg, "{\"model_max_length\": " + v + "}");
            IOException e = assertThrows(IOException.class, () -> CLIPTokenizer.load(dir));
            assertTrue(e.getMessage().startsWith(cfg + ": model_max_length"), e.getMessage());
        }
    }

    @Test
    void vocabularyOrMergesThatAreFoldersOrNotTextAreRefusedNamingTheFile() throws IOException {
        Path dir = withId("folder-merges", "cat</w>", "1000");
        Path merges = dir.resolve("merges.txt");
        Files.write(merges, new byte[] {'#', 'v', '\n', (byte) 0xff, ' ', 'a', '\n'});
        IOException e = assertThrows(IOException.class, () -> CLIPTokenizer.load(dir));
        assertEquals(merges + ": not UTF-8 text", e.getMessage());
        Files.delete(merges);
        Files.createDirectory(merges);
        e = assertThrows(IOException.class, () -> CLIPTokenizer.load(dir));
        assertTrue(e.getMessage().startsWith(merges + ": not a regular file"), e.getMessage());
    }

    @Test
    void aPadTokenOutsideTheVocabularyIsRefused() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new CLIPTokenizer(
                                        Map.of("<|startoftext|>", 0, "<|endoftext|>", 1),
                                        List.of(),
                                        77,
                                        "<pad>"));
        assertTrue(e.getMessage().contains("<pad>"), e.getMessage());
    }

    @Test
    void aVocabularyFittedToCaptionsMakesEachWordOneTokenAndSavesLikeAnyOther(
            @org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        CLIPTokenizer t = CLIPTokenizer.forTexts(List.of("calm, gloomy", "Bright", "calm"), 16);
        int[] calmGloomy = t.encode("calm, gloomy");
        assertEquals(3, calmGloomy.length, "calm</w> ,</w> gloomy</w>");
        assertEquals(1, t.encode("BRIGHT").length, "cleaned and lower-cased as CLIP does");
        assertEquals(t.encode("calm")[0], calmGloomy[0]);
        // A word it never saw still tokenizes, one byte symbol at a time.
        assertEquals(5, t.encode("dusky").length);
        long[] row = t.inputIds("bright");
        assertEquals(16, row.length);
        assertEquals(t.bosId(), row[0]);
        assertEquals(t.eosId(), row[2]);
        t.save(dir);
        CLIPTokenizer back = CLIPTokenizer.load(dir);
        assertArrayEquals(calmGloomy, back.encode("calm, gloomy"));
        assertArrayEquals(row, back.inputIds("bright"));
    }
}
