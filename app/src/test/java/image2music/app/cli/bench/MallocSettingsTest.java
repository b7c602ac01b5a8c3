package image2music.app.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MallocSettingsTest {

    @Test
    void setVariablesArePrintedInTheirFixedOrderAndOthersIgnored() {
        MallocSettings s =
                MallocSettings.of(
                        Map.of(
                                "MALLOC_TRIM_THRESHOLD_", "68719476736",
                                "MALLOC_ARENA_MAX", "1",
                                "PATH", "/usr/bin"));
        assertEquals("MALLOC_ARENA_MAX=1 MALLOC_TRIM_THRESHOLD_=68719476736", s.describe());
    }

    @Test
    void noSettingsSaysGlibcDefaultsAndHowToGetTheLaunchers() {
        String d = MallocSettings.of(Map.of("HOME", "/root")).describe();
        assertTrue(d.startsWith("glibc defaults"), d);
        assertTrue(d.contains("./image2music") && d.contains("MALLOC_ARENA_MAX"), d);
    }
}
