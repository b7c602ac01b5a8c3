package image2music.models.clip;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import image2music.core.io.AtomicFiles;
import image2music.core.io.ErrorText;
import image2music.core.io.InputFiles;
import image2music.models.nn.ConfigLimits;
import image2music.models.nn.HfConfigs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CLIP's byte-level BPE tokenizer, as openai's {@code simple_tokenizer} encodes and as Stable
 * Diffusion feeds its text encoder: clean-up ({@link CLIPTextCleaner}), pre-split, BPE over the
 * UTF-8 bytes of each piece with {@code </w>} marking a word's end, then {@code [BOS] + ids[:75] +
 * [EOS]} padded to {@code model_max_length} (77) with the pad token ({@code <|endoftext|>} for SD
 * 1.x; {@code !}, id 0, for SD 2.x).
 *
 * <p>Reads and writes HF's tokenizer folder: {@code vocab.json}, {@code merges.txt} and, when
 * present, {@code tokenizer_config.json} / {@code special_tokens_map.json}. Immutable apart from
 * its word cache; safe to share between threads.
 */
public final class CLIPTokenizer {

    public static final String VOCAB = "vocab.json";
    public static final String MERGES = "merges.txt";
    public static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    public static final String SPECIAL_TOKENS_MAP = "special_tokens_map.json";

    public static final String BOS = "<|startoftext|>";
    public static final String EOS = "<|endoftext|>";
    public static final int DEFAULT_MAX_LENGTH = 77;

    private static final String WORD_END = "</w>";
    private static final int CACHE_LIMIT = 100_000;

    /** Most tokens in a vocabulary and most merges ({@link ConfigLimits#MAX_VOCAB}). */
    public static final int MAX_VOCAB = ConfigLimits.MAX_VOCAB;

    /** Longest {@code model_max_length} ({@link ConfigLimits#MAX_POSITIONS}). */
    public static final int MAX_LENGTH = ConfigLimits.MAX_POSITIONS;

    /** Largest vocab.json or merges.txt read (CLIP's are 1.6 MB and 0.5 MB). */
    private static final long MAX_FILE_BYTES = 256L << 20;

    /** Largest tokenizer_config.json or special_tokens_map.json read. */
    private static final long MAX_CONFIG_BYTES = 1L << 20;

    /** openai's pre-split pattern ({@code regex.IGNORECASE}); non-matching text is dropped. */
    private static final Pattern PIECES =
            Pattern.compile(
                    "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d"
                            + "|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
                    Pattern.CASE_INSENSITIVE
                            | Pattern.UNICODE_CASE
                            | Pattern.UNICODE_CHARACTER_CLASS);

    private static final char[] BYTE_SYMBOL = byteSymbols();

    private final Map<String, Integer> vocab;
    private final Map<String, Integer> mergeRanks;
    private final List<String> merges;
    private final int maxLength;
    private final String padToken;
    private final int bosId;
    private final int eosId;
    private final int padId;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    /**
     * A tokenizer over {@code vocab} (token to id) and {@code merges} ({@code "left right"} in rank
     * order).
     *
     * @param maxLength length of {@link #inputIds} rows, BOS and EOS included (at least 2)
     * @param padToken the token padding rows; must be in the vocabulary
     */
    public CLIPTokenizer(
            Map<String, Integer> vocab, List<String> merges, int maxLength, String padToken) {
        this.vocab = Map.copyOf(vocab);
        this.merges = List.copyOf(merges);
        Map<String, Integer> ranks = new HashMap<>();
        for (int i = 0; i < merges.size(); i++) {
            ranks.putIfAbsent(merges.get(i), i);
        }
        this.mergeRanks = ranks;
        if (maxLength < 2) {
            throw new IllegalArgumentException("model_max_length must be >= 2, got " + maxLength);
        }
        this.maxLength = maxLength;
        this.padToken = padToken;
        this.bosId = idOf(BOS, "bos token");
        this.eosId = idOf(EOS, "eos token");
        this.padId = idOf(padToken, "pad token");
    }

    private int idOf(String token, String role) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new IllegalArgumentException(
                    "The vocabulary has no " + role + " '" + token + "'");
        }
        return id;
    }

    /** Loads the tokenizer folder {@code dir} (HF layout; only the two vocab files required). */
    public static CLIPTokenizer load(Path dir) throws IOException {
        Map<String, Integer> vocab = readVocab(existing(dir.resolve(VOCAB)));
        List<String> merges = readMerges(existing(dir.resolve(MERGES)));
        JsonObject config = new JsonObject();
        Path cfg = dir.resolve(TOKENIZER_CONFIG);
        if (Files.isRegularFile(cfg)) {
            InputFiles.requireRegularFile(cfg, MAX_CONFIG_BYTES, "a tokenizer config");
            config = HfConfigs.read(cfg);
        }
        JsonObject special = new JsonObject();
        Path map = dir.resolve(SPECIAL_TOKENS_MAP);
        if (Files.isRegularFile(map)) {
            InputFiles.requireRegularFile(map, MAX_CONFIG_BYTES, "a special tokens map");
            special = HfConfigs.read(map);
        }
        int maxLength = maxLength(cfg, config.get("model_max_length"));
        String pad;
        try {
            pad = tokenText(special.get("pad_token"));
            if (pad == null) {
                pad = tokenText(config.get("pad_token"));
            }
        } catch (RuntimeException e) {
            throw new IOException(dir + ": pad_token: " + ErrorText.of(e), e);
        }
        try {
            return new CLIPTokenizer(vocab, merges, maxLength, pad == null ? EOS : pad);
        } catch (IllegalArgumentException e) {
            throw new IOException(dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code model_max_length} from {@code cfg}: absent or HF's "no limit" sentinel (10^30) gives
     * {@link #DEFAULT_MAX_LENGTH}; anything else must be a whole number from 2 to {@link
     * #MAX_LENGTH}.
     */
    private static int maxLength(Path cfg, JsonElement len) throws IOException {
        if (len == null || len.isJsonNull()) {
            return DEFAULT_MAX_LENGTH;
        }
        if (!len.isJsonPrimitive() || !len.getAsJsonPrimitive().isNumber()) {
            throw new IOException(cfg + ": model_max_length is not a number: " + len);
        }
        double v = len.getAsDouble();
        // Tokenizers saved without a limit store a huge sentinel; CLIP's positions stop at 77.
        if (v >= 1e6) {
            return DEFAULT_MAX_LENGTH;
        }
        if (v != Math.rint(v) || v < 2 || v > MAX_LENGTH) {
            throw new IOException(
                    cfg
                            + ": model_max_length = "
                            + len
                            + " (must be a whole number, 2 to "
                            + MAX_LENGTH
                            + ")");
        }
        return (int) v;
    }

    /** A special token as HF stores it: a string or an AddedToken object with {@code content}. */
    private static String tokenText(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e.isJsonObject() && e.getAsJsonObject().has("content")) {
            return e.getAsJsonObject().get("content").getAsString();
        }
        return e.isJsonPrimitive() ? e.getAsString() : null;
    }

    private static Map<String, Integer> readVocab(Path path) throws IOException {
        InputFiles.requireRegularFile(path, MAX_FILE_BYTES, "a vocabulary");
        JsonElement root;
        try {
            root = JsonParser.parseString(HfConfigs.text(path));
        } catch (JsonParseException e) {
            throw new IOException(path + ": malformed vocabulary: " + ErrorText.of(e), e);
        }
        if (!root.isJsonObject()) {
            throw new IOException(path + ": expected a JSON object of token -> id");
        }
        Set<Map.Entry<String, JsonElement>> entries = root.getAsJsonObject().entrySet();
        if (entries.size() > MAX_VOCAB) {
            throw new IOException(
                    path + ": " + entries.size() + " tokens, over the limit of " + MAX_VOCAB);
        }
        Map<String, Integer> vocab = new HashMap<>();
        for (Map.Entry<String, JsonElement> e : entries) {
            JsonElement v = e.getValue();
            double id =
                    v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber() ? v.getAsDouble() : -1;
            if (id != Math.rint(id) || id < 0 || id >= MAX_VOCAB) {
                throw new IOException(
                        path
                                + ": token '"
                                + e.getKey()
                                + "' has id "
                                + v
                                + " (ids are whole numbers from 0 to "
                                + (MAX_VOCAB - 1)
                                + ")");
            }
            vocab.put(e.getKey(), (int) id);
        }
        return vocab;
    }

    private static List<String> readMerges(Path path) throws IOException {
        InputFiles.requireRegularFile(path, MAX_FILE_BYTES, "a merges file");
        List<String> merges = new ArrayList<>();
        List<String> lines = HfConfigs.text(path).lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if ((i == 0 && line.startsWith("#version")) || line.isEmpty()) {
                continue;
            }
            String[] parts = line.split(" ");
            if (parts.length != 2) {
                throw new IOException(
                        path + ": line " + (i + 1) + " is not a merge 'left right': " + line);
            }
            if (merges.size() == MAX_VOCAB) {
                throw new IOException(path + ": more than " + MAX_VOCAB + " merges");
            }
            merges.add(line);
        }
        return merges;
    }

    /** The largest id in the vocabulary (the text encoder's vocab_size must exceed it). */
    public int maxId() {
        return vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
    }

    /**
     * A small byte-level BPE tokenizer whose vocabulary is fitted to {@code texts}: every byte
     * symbol (alone and word-final), and merges that build each word of the texts into one token
     * (as CLIP pre-splits and cleans them), then BOS and EOS. For models trained from scratch on a
     * caption vocabulary of a few mood words, where CLIP's 49,408 tokens would only cost memory;
     * any other text still tokenizes, byte by byte.
     */
    public static CLIPTokenizer forTexts(Collection<String> texts, int maxLength) {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (char c : BYTE_SYMBOL) {
            vocab.putIfAbsent(String.valueOf(c), vocab.size());
        }
        for (char c : BYTE_SYMBOL) {
            vocab.putIfAbsent(c + WORD_END, vocab.size());
        }
        List<String> merges = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String text : texts) {
            Matcher m = PIECES.matcher(CLIPTextCleaner.clean(text));
            while (m.find()) {
                List<String> symbols = byteSymbolsOf(m.group());
                String built = symbols.get(0);
                for (int i = 1; i < symbols.size(); i++) {
                    String merge = built + " " + symbols.get(i);
                    built = built + symbols.get(i);
                    if (seen.add(merge)) {
                        merges.add(merge);
                        vocab.putIfAbsent(built, vocab.size());
                    }
                }
            }
        }
        vocab.put(BOS, vocab.size());
        vocab.put(EOS, vocab.size());
        return new CLIPTokenizer(vocab, merges, maxLength, EOS);
    }

    /** The raw BPE ids of {@code text}: no BOS/EOS, not truncated. */
    public int[] encode(String text) {
        List<int[]> parts = new ArrayList<>();
        int n = 0;
        Matcher m = PIECES.matcher(CLIPTextCleaner.clean(text));
        while (m.find()) {
            int[] ids = wordIds(m.group());
            parts.add(ids);
            n += ids.length;
        }
        int[] out = new int[n];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /**
     * The text encoder's input row for {@code text}: BOS, the first {@code maxLength - 2} ids, EOS,
     * then the pad id up to {@code maxLength}.
     */
    public long[] inputIds(String text) {
        int[] ids = encode(text);
        int kept = Math.min(ids.length, maxLength - 2);
        long[] row = new long[maxLength];
        Arrays.fill(row, padId);
        row[0] = bosId;
        for (int i = 0; i < kept; i++) {
            row[i + 1] = ids[i];
        }
        row[kept + 1] = eosId;
        return row;
    }

    /** {@link #inputIds} for each text, as a [texts, maxLength] batch. */
    public long[][] inputIds(List<String> texts) {
        long[][] rows = new long[texts.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = inputIds(texts.get(i));
        }
        return rows;
    }

    /** The ids of one pre-split piece, through the byte alphabet and BPE (cached). */
    private int[] wordIds(String piece) {
        int[] cached = cache.get(piece);
        if (cached != null) {
            return cached;
        }
        int[] ids;
        if (piece.equals(BOS) || piece.equals(EOS)) {
            ids = new int[] {vocab.get(piece)};
        } else {
            List<String> symbols = bpe(byteSymbolsOf(piece));
            ids = new int[symbols.size()];
            for (int i = 0; i < ids.length; i++) {
                Integer id = vocab.get(symbols.get(i));
                // HF maps a token outside the vocabulary to unk = <|endoftext|>.
                ids[i] = id == null ? eosId : id;
            }
        }
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(piece, ids);
        return ids;
    }

    /** The piece's UTF-8 bytes as byte-alphabet symbols, the last one marked {@code </w>}. */
    private static List<String> byteSymbolsOf(String piece) {
        byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
        List<String> symbols = new ArrayList<>(bytes.length);
        for (byte b : bytes) {
            symbols.add(String.valueOf(BYTE_SYMBOL[b & 0xFF]));
        }
        int last = symbols.size() - 1;
        symbols.set(last, symbols.get(last) + WORD_END);
        return symbols;
    }

    /**
     * Merges the lowest-ranked adjacent pair, every occurrence left to right without overlap, until
     * no adjacent pair is a merge.
     */
    private List<String> bpe(List<String> word) {
        while (word.size() > 1) {
            int bestRank = Integer.MAX_VALUE;
            String first = null;
            String second = null;
            for (int i = 0; i + 1 < word.size(); i++) {
                Integer r = mergeRanks.get(word.get(i) + " " + word.get(i + 1));
                if (r != null && r < bestRank) {
                    bestRank = r;
                    first = word.get(i);
                    second = word.get(i + 1);
                }
            }
            if (first == null) {
                break;
            }
            List<String> merged = new ArrayList<>(word.size());
            for (int i = 0; i < word.size(); ) {
                if (i + 1 < word.size()
                        && word.get(i).equals(first)
                        && word.get(i + 1).equals(second)) {
                    merged.add(first + second);
                    i += 2;
                } else {
                    merged.add(word.get(i));
                    i++;
                }
            }
            word = merged;
        }
        return word;
    }

    /**
     * GPT-2's {@code bytes_to_unicode}: printable bytes stand for themselves, the other 68 take
     * U+0100 upwards in byte order, so that every byte is a visible, non-space character.
     */
    private static char[] byteSymbols() {
        char[] map = new char[256];
        boolean[] printable = new boolean[256];
        for (int b = '!'; b <= '~'; b++) {
            printable[b] = true;
        }
        for (int b = 0xA1; b <= 0xAC; b++) {
            printable[b] = true;
        }
        for (int b = 0xAE; b <= 0xFF; b++) {
            printable[b] = true;
        }
        int next = 0x100;
        for (int b = 0; b < 256; b++) {
            map[b] = printable[b] ? (char) b : (char) next++;
        }
        return map;
    }

    /**
     * Writes the HF tokenizer folder into {@code dir}: {@code vocab.json} (sorted by token), {@code
     * merges.txt}, {@code tokenizer_config.json} and {@code special_tokens_map.json}.
     */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        var gson = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
        AtomicFiles.write(
                dir.resolve(VOCAB),
                (gson.toJson(new TreeMap<>(vocab)) + "\n").getBytes(StandardCharsets.UTF_8));
        StringBuilder m = new StringBuilder("#version: 0.2\n");
        merges.forEach(line -> m.append(line).append('\n'));
        AtomicFiles.write(dir.resolve(MERGES), m.toString().getBytes(StandardCharsets.UTF_8));
        JsonObject special = new JsonObject();
        special.addProperty("bos_token", BOS);
        special.addProperty("eos_token", EOS);
        special.addProperty("pad_token", padToken);
        special.addProperty("unk_token", EOS);
        HfConfigs.write(dir.resolve(SPECIAL_TOKENS_MAP), special);
        JsonObject config = special.deepCopy();
        config.addProperty("add_prefix_space", false);
        config.addProperty("clean_up_tokenization_spaces", true);
        config.addProperty("do_lower_case", true);
        config.addProperty("errors", "replace");
        config.addProperty("model_max_length", maxLength);
        config.addProperty("tokenizer_class", "CLIPTokenizer");
        HfConfigs.write(dir.resolve(TOKENIZER_CONFIG), config);
    }

    /** Length of every {@link #inputIds} row. */
    public int maxLength() {
        return maxLength;
    }

    /** Id of {@code <|startoftext|>}. */
    public int bosId() {
        return bosId;
    }

    /** Id of {@code <|endoftext|>}. */
    public int eosId() {
        return eosId;
    }

    /** Id of the padding token. */
    public int padId() {
        return padId;
    }

    /** The padding token. */
    public String padToken() {
        return padToken;
    }

    /** Number of tokens in the vocabulary. */
    public int vocabSize() {
        return vocab.size();
    }

    /** The vocabulary, token to id (unmodifiable). */
    public Map<String, Integer> vocab() {
        return vocab;
    }

    /** The merges, {@code "left right"} in rank order (unmodifiable). */
    public List<String> merges() {
        return Collections.unmodifiableList(merges);
    }

    private static Path existing(Path p) throws NoSuchFileException {
        if (!Files.exists(p)) {
            throw new NoSuchFileException(p.toString(), null, "tokenizer file not found");
        }
        return p;
    }
}
