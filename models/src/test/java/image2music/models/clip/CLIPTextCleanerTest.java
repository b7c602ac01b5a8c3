package image2music.models.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Clean-up steps beyond the reference prompts, worked out from ftfy's and Python's rules. */
class CLIPTextCleanerTest {

    @Test
    void repairsMojibakeOfCurlyQuotesAndKeepsRealAccents() {
        assertEquals(
                "\"hi\" café",
                CLIPTextCleaner.clean("\u00e2\u20ac\u0153hi\u00e2\u20ac\u009d caf\u00c3\u00a9"));
        assertEquals("naïve façade", CLIPTextCleaner.clean("Naïve Façade"));
    }

    @Test
    void unescapesLikePythonHtmlUnescapeIncludingLegacyNames() {
        assertEquals("'mood", CLIPTextCleaner.clean("&#39mood"));
        assertEquals("éx", CLIPTextCleaner.clean("&eacutex"));
        assertEquals("¬it;", CLIPTextCleaner.clean("&notit;"));
        assertEquals("a€", CLIPTextCleaner.clean("&#x41;&#128;"));
    }

    @Test
    void ftfyReadsCapitalisedEntityNamesAsCapitals() {
        assertEquals("é", CLIPTextCleaner.fixText("&eacute;"));
        assertEquals("É", CLIPTextCleaner.fixText("&EACUTE;"));
    }

    @Test
    void collapsesUnicodeWhitespaceRemovesControlsKeepsZeroWidthSpace() {
        assertEquals("a b c", CLIPTextCleaner.clean("\u3000a\u2003\u00a0b\u0001\n\u2028c\u0085"));
        assertEquals("a\u200bb", CLIPTextCleaner.clean("A\u200bB"));
    }

    @Test
    void halfWidthLigaturesAndNfc() {
        assertEquals("ffi abc!", CLIPTextCleaner.clean("\ufb03 \uff21\uff22\uff23\uff01"));
        assertEquals("\u00e9", CLIPTextCleaner.clean("e\u0301"));
    }
}
