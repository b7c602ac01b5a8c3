package image2music.models.clip;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The text clean-up of openai CLIP's {@code simple_tokenizer.encode}: {@code ftfy.fix_text}, two
 * rounds of {@code html.unescape}, whitespace collapsing, lower-casing.
 *
 * <p>Of ftfy 6.3 only the fixes prompts meet are modelled: HTML references ending in {@code ;}
 * (skipped when the text holds a {@code <}), mojibake of UTF-8 read as cp1252 or Latin-1 (each
 * sequence that re-encodes to valid UTF-8 is replaced; ftfy weighs "badness" first, which only
 * differs on text written in two encodings at once), Latin ligatures, full-width forms, curly
 * quotes, line breaks, control characters and NFC. Other ftfy fixes (terminal escapes, lossy
 * sequences, surrogate pairs written as two characters) are not applied.
 */
public final class CLIPTextCleaner {

    /** Python's {@code regex} {@code \s}: Unicode White_Space. */
    private static final Pattern WHITESPACE_RUN =
            Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    private static final Pattern SINGLE_QUOTES = Pattern.compile("[\u02bc\u2018-\u201b]");
    private static final Pattern DOUBLE_QUOTES = Pattern.compile("[\u201c-\u201f]");
    private static final Pattern LINE_BREAKS = Pattern.compile("\r\n|[\r\u2028\u2029\u0085]");

    private static final Map<Integer, String> LIGATURES =
            Map.ofEntries(
                    Map.entry(0x0132, "IJ"),
                    Map.entry(0x0133, "ij"),
                    Map.entry(0x0149, "\u02bcn"),
                    Map.entry(0x01C4, "D\u017d"),
                    Map.entry(0x01C5, "D\u017e"),
                    Map.entry(0x01C6, "d\u017e"),
                    Map.entry(0x01C7, "LJ"),
                    Map.entry(0x01C8, "Lj"),
                    Map.entry(0x01C9, "lj"),
                    Map.entry(0x01CA, "NJ"),
                    Map.entry(0x01CB, "Nj"),
                    Map.entry(0x01CC, "nj"),
                    Map.entry(0x01F1, "DZ"),
                    Map.entry(0x01F2, "Dz"),
                    Map.entry(0x01F3, "dz"),
                    Map.entry(0xFB00, "ff"),
                    Map.entry(0xFB01, "fi"),
                    Map.entry(0xFB02, "fl"),
                    Map.entry(0xFB03, "ffi"),
                    Map.entry(0xFB04, "ffl"),
                    Map.entry(0xFB05, "\u017ft"),
                    Map.entry(0xFB06, "st"));

    /** cp1252's characters for bytes 0x80-0x9F (the five undefined bytes read as C1 controls). */
    private static final Map<Integer, Integer> CP1252_BYTE = cp1252Bytes();

    private CLIPTextCleaner() {}

    /**
     * The text {@code simple_tokenizer} splits into words: {@code
     * whitespace_clean(basic_clean(text)).lower()}.
     */
    public static String clean(String text) {
        String fixed = fixText(text);
        String unescaped = HtmlEntities.unescapePython(HtmlEntities.unescapePython(fixed));
        String collapsed = WHITESPACE_RUN.matcher(pythonStrip(unescaped)).replaceAll(" ");
        return pythonStrip(collapsed).toLowerCase(Locale.ROOT);
    }

    /** The modelled subset of {@code ftfy.fix_text} with default settings, run until stable. */
    static String fixText(String text) {
        boolean unescape = text.indexOf('<') < 0;
        String current = text;
        for (int round = 0; round < 16; round++) {
            String next = current;
            if (unescape) {
                next = HtmlEntities.unescapeTerminated(next);
            }
            next = fixMojibake(next);
            next = replaceEach(next, LIGATURES::get);
            next = replaceEach(next, CLIPTextCleaner::halfWidth);
            next = SINGLE_QUOTES.matcher(next).replaceAll("'");
            next = DOUBLE_QUOTES.matcher(next).replaceAll("\"");
            next = LINE_BREAKS.matcher(next).replaceAll("\n");
            next = replaceEach(next, cp -> isControl(cp) ? "" : null);
            next = Normalizer.normalize(next, Normalizer.Form.NFC);
            if (next.equals(current)) {
                break;
            }
            current = next;
        }
        return current;
    }

    /**
     * Replaces each sequence of characters that, written back in cp1252 / Latin-1, forms one valid
     * multi-byte UTF-8 character by that character ({@code cafÃ©} becomes {@code café}).
     */
    static String fixMojibake(String text) {
        StringBuilder out = new StringBuilder(text.length());
        CharsetDecoder utf8 =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int lead = byteOf(c);
            int continuations =
                    lead >= 0xC2 && lead <= 0xDF
                            ? 1
                            : lead >= 0xE0 && lead <= 0xEF
                                    ? 2
                                    : lead >= 0xF0 && lead <= 0xF4 ? 3 : 0;
            String decoded = null;
            if (continuations > 0 && i + continuations < text.length()) {
                byte[] bytes = new byte[continuations + 1];
                bytes[0] = (byte) lead;
                boolean ok = true;
                for (int k = 1; k <= continuations && ok; k++) {
                    int b = byteOf(text.charAt(i + k));
                    ok = b >= 0x80 && b <= 0xBF;
                    bytes[k] = (byte) b;
                }
                if (ok) {
                    decoded = decodeStrict(utf8, bytes);
                }
            }
            if (decoded != null) {
                out.append(decoded);
                i += continuations + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String decodeStrict(CharsetDecoder decoder, byte[] bytes) {
        try {
            CharBuffer chars = decoder.reset().decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The byte {@code c} stands for in sloppy cp1252 (Latin-1 where cp1252 has a gap), or -1. */
    private static int byteOf(char c) {
        if (c < 0x80 || (c >= 0xA0 && c <= 0xFF)) {
            return c;
        }
        Integer b = CP1252_BYTE.get((int) c);
        if (b != null) {
            return b;
        }
        return c >= 0x80 && c <= 0x9F ? c : -1;
    }

    /** ftfy's {@code fix_character_width}: NFKC for U+FF01-FFEF, ideographic space to space. */
    private static String halfWidth(int cp) {
        if (cp == 0x3000) {
            return " ";
        }
        if (cp >= 0xFF01 && cp <= 0xFFEF) {
            String s = new String(Character.toChars(cp));
            String n = Normalizer.normalize(s, Normalizer.Form.NFKC);
            return n.equals(s) ? null : n;
        }
        return null;
    }

    /** ftfy's {@code CONTROL_CHARS}: C0 controls other than tab and line breaks, and a few more. */
    private static boolean isControl(int cp) {
        return (cp <= 0x08)
                || cp == 0x0B
                || (cp >= 0x0E && cp <= 0x1F)
                || cp == 0x7F
                || (cp >= 0x206A && cp <= 0x206F)
                || cp == 0xFEFF
                || (cp >= 0xFFF9 && cp <= 0xFFFC);
    }

    /** Replaces each code point for which {@code map} gives a string. */
    private static String replaceEach(String text, java.util.function.IntFunction<String> map) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            String r = map.apply(cp);
            if (r != null && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                if (r != null) {
                    out.append(r);
                } else {
                    out.appendCodePoint(cp);
                }
            }
            i += Character.charCount(cp);
        }
        return out == null ? text : out.toString();
    }

    /** Python's {@code str.strip()}: removes what {@code str.isspace()} accepts at both ends. */
    private static String pythonStrip(String s) {
        int begin = 0;
        int end = s.length();
        while (begin < end && isPythonSpace(s.charAt(begin))) {
            begin++;
        }
        while (end > begin && isPythonSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(begin, end);
    }

    private static boolean isPythonSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == 0x85;
    }

    private static Map<Integer, Integer> cp1252Bytes() {
        Map<Integer, Integer> m = new HashMap<>();
        byte[] high = new byte[32];
        for (int i = 0; i < 32; i++) {
            high[i] = (byte) (0x80 + i);
        }
        String decoded = new String(high, java.nio.charset.Charset.forName("windows-1252"));
        for (int i = 0; i < 32; i++) {
            char c = decoded.charAt(i);
            if (c != '\uFFFD') {
                m.put((int) c, 0x80 + i);
            }
        }
        return m;
    }
}
