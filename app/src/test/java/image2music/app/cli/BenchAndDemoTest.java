package image2music.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

class BenchAndDemoTest {

    @Test
    void benchPrintsOneJsonObjectPerClip() {
        CliRun r = CliRun.of("bench-audio", "--runs", "1", "--clips", "0.5,1", "--json");
        assertEquals(0, r.exitCode(), r.err());
        String[] lines = r.out().strip().split("\\R");
        assertEquals(2, lines.length, r.out());
        JsonObject first = JsonParser.parseString(lines[0]).getAsJsonObject();
        assertEquals(0.5, first.get("clip_seconds").getAsDouble());
        assertEquals(1 + 22050 / 441, first.get("frames").getAsInt());
        assertTrue(first.get("audio_to_image_ms").getAsDouble() > 0);
        assertTrue(first.get("image_to_audio_ms").getAsDouble() > 0);
        double sc = first.get("mel_spectral_convergence").getAsDouble();
        assertTrue(sc > 0 && sc < 0.1, "SC " + sc);
        assertTrue(first.getAsJsonObject("image_to_audio_steps_ms").has("inverse mel"));
    }

    @Test
    void benchTableShowsRiffusionFiguresBesideOurs() {
        CliRun r = CliRun.of("bench-audio", "--runs", "1", "--clips", "5.12");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("audio -> image"), r.out());
        assertTrue(r.out().contains("21400 ms"), r.out());
        assertTrue(r.out().contains("0.146"), r.out());
        assertEquals(2, CliRun.of("bench-audio", "--runs", "0").exitCode());
    }
}
