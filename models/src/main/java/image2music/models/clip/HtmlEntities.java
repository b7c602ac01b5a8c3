package image2music.models.clip;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTML character references, decoded the two ways CLIP's text clean-up needs: Python's {@code
 * html.unescape} (HTML5 rules, including the legacy names that need no {@code ;}) and ftfy's
 * stricter pass (only references ending in {@code ;}).
 *
 * <p>The named-entity table {@code html5_entities.tsv} is the WHATWG list as Python 3.11's {@code
 * html.entities.html5} holds it (2,231 names, those without {@code ;} being the legacy ones),
 * written by {@code for k, v in sorted(html5.items()): print(k, ' '.join('%X' % ord(c) for c in v),
 * sep='\t')}.
 */
final class HtmlEntities {

    private static final String TABLE = "html5_entities.tsv";

    /** Python's {@code html._charref}. */
    private static final Pattern PYTHON_REF =
            Pattern.compile("&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\\t\\n\\f <&#;]{1,32};?)");

    /** ftfy's {@code HTML_ENTITY_RE}. */
    private static final Pattern FTFY_REF = Pattern.compile("&#?[0-9A-Za-z]{1,24};");

    /** Python's {@code html._invalid_charrefs}: the cp1252 meaning of C1 references, and NUL. */
    private static final Map<Integer, String> INVALID_CHARREFS = invalidCharrefs();

    private static final Map<String, String> NAMES = load();

    private HtmlEntities() {}

    /** {@code html.unescape(text)} as Python 3.11 computes it. */
    static String unescapePython(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        Matcher m = PYTHON_REF.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(pythonReplacement(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * ftfy's {@code unescape_html}: each reference that ends in {@code ;} and names a character is
     * decoded; anything else is left as it is.
     */
    static String unescapeTerminated(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        Matcher m = FTFY_REF.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String ref = m.group();
            String body = ref.substring(1);
            String decoded;
            if (body.startsWith("#")) {
                decoded = numeric(body.substring(1, body.length() - 1), ref);
            } else {
                String named = NAMES.get(body);
                String lower = body.toLowerCase(Locale.ROOT);
                if (named == null && body.equals(body.toUpperCase(Locale.ROOT))) {
                    // ftfy also reads an all-capitals spelling of a lower-case name, as capitals.
                    String small = NAMES.get(lower);
                    named = small == null ? null : small.toUpperCase(Locale.ROOT);
                }
                decoded = named == null ? ref : named;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(decoded));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String pythonReplacement(String s) {
        if (s.charAt(0) == '#') {
            String digits = s.endsWith(";") ? s.substring(1, s.length() - 1) : s.substring(1);
            return numeric(digits, "&" + s);
        }
        String named = NAMES.get(s);
        if (named != null) {
            return named;
        }
        // The longest legacy name (no ';') that prefixes s, the rest kept verbatim.
        for (int x = s.length() - 1; x > 1; x--) {
            String legacy = NAMES.get(s.substring(0, x));
            if (legacy != null) {
                return legacy + s.substring(x);
            }
        }
        return "&" + s;
    }

    /** A numeric reference's character ({@code digits} decimal, or hex after x/X). */
    private static String numeric(String digits, String original) {
        long num;
        try {
            boolean hex = digits.startsWith("x") || digits.startsWith("X");
            String d = hex ? digits.substring(1) : digits;
            if (d.isEmpty()) {
                return original;
            }
            // Python has unbounded ints; anything this long is out of range anyway.
            num = d.length() > 8 ? Long.MAX_VALUE : Long.parseLong(d, hex ? 16 : 10);
        } catch (NumberFormatException e) {
            return original;
        }
        if (INVALID_CHARREFS.containsKey((int) Math.min(num, Integer.MAX_VALUE))) {
            return INVALID_CHARREFS.get((int) num);
        }
        if ((num >= 0xD800 && num <= 0xDFFF) || num > 0x10FFFF) {
            return "\uFFFD";
        }
        int cp = (int) num;
        if (invalidCodepoint(cp)) {
            return "";
        }
        return new String(Character.toChars(cp));
    }

    /** Python's {@code html._invalid_codepoints}. */
    private static boolean invalidCodepoint(int cp) {
        return (cp >= 0x1 && cp <= 0x8)
                || (cp >= 0xE && cp <= 0x1F)
                || (cp >= 0x7F && cp <= 0x9F)
                || (cp >= 0xFDD0 && cp <= 0xFDEF)
                || cp == 0xB
                || (cp & 0xFFFE) == 0xFFFE;
    }

    private static Map<Integer, String> invalidCharrefs() {
        Map<Integer, String> m = new HashMap<>();
        m.put(0x00, "\uFFFD");
        m.put(0x0D, "\r");
        int[] cp1252 = {
            0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
            0x2039, 0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
            0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178
        };
        for (int i = 0; i < cp1252.length; i++) {
            m.put(0x80 + i, new String(Character.toChars(cp1252[i])));
        }
        return m;
    }

    private static Map<String, String> load() {
        InputStream in = HtmlEntities.class.getResourceAsStream(TABLE);
        if (in == null) {
            throw new IllegalStateException("Missing class-path resource " + TABLE);
        }
        Map<String, String> m = new HashMap<>();
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                int tab = line.indexOf('\t');
                StringBuilder value = new StringBuilder();
                for (String hex : line.substring(tab + 1).split(" ")) {
                    value.appendCodePoint(Integer.parseInt(hex, 16));
                }
                m.put(line.substring(0, tab), value.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + TABLE, e);
        }
        return m;
    }
}
