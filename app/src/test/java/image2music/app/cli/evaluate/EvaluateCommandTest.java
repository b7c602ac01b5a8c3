package image2music.app.cli.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import image2music.app.cli.CliRun;
import image2music.audio.spectrogram.SpectrogramFormatFile;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.pipeline.TinyModels;
import image2music.pipeline.evaluate.EvaluationServiceTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evaluate} on constructed moods and a tiny random generator. */
class EvaluateCommandTest {

    @TempDir Path dir;

    @Test
    void writesTheFiguresAndPrintsTheTable() throws IOException {
        Path generator = TinyModels.generator(dir.resolve("generator"));
        SpectrogramFormatFile.write(
                generator,
                SpectrogramParams.defaults().withNumFrequencies(EvaluationServiceTest.HEIGHT));
        Path data = EvaluationServiceTest.dataset(dir.resolve("data"), false);
        Path out = dir.resolve("eval.json");
        CliRun r =
                CliRun.of(
                        "evaluate",
                        "--generator",
                        generator.toString(),
                        "--data",
                        data.toString(),
                        "--classifier-steps",
                        "20",
                        "--per-mood",
                        "2",
                        "--steps",
                        "2",
                        "--out",
                        out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("CAS"), r.out());
        JsonObject o = JsonParser.parseString(Files.readString(out)).getAsJsonObject();
        assertEquals(3, o.getAsJsonArray("classes").size());
        assertTrue(o.has("frechet") && o.has("frechet_reference") && o.has("cas"));
        assertTrue(
                Files.isRegularFile(dir.resolve("eval/classifier/config.json")), "--work default");
    }

    @Test
    void badInputIsOneLineAndWritesNothing() {
        Path out = dir.resolve("e.json");
        CliRun missing =
                CliRun.of(
                        "evaluate",
                        "--generator",
                        dir.resolve("none").toString(),
                        "--data",
                        dir.resolve("nodata").toString(),
                        "--out",
                        out.toString());
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("nodata"), missing.err());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
        assertFalse(Files.exists(out));

        CliRun half =
                CliRun.of(
                        "evaluate",
                        "--generator",
                        "g",
                        "--data",
                        "d",
                        "--tagger",
                        "t",
                        "--out",
                        out.toString());
        assertEquals(2, half.exitCode());
        assertTrue(half.err().contains("--tagger and --pictures go together"), half.err());

        CliRun notJson = CliRun.of("evaluate", "--generator", "g", "--data", "d", "--out", "x.txt");
        assertEquals(2, notJson.exitCode());

        CliRun badGuidance =
                CliRun.of(
                        "evaluate",
                        "--generator",
                        "g",
                        "--data",
                        "d",
                        "--guidance",
                        "-1",
                        "--out",
                        out.toString());
        assertEquals(2, badGuidance.exitCode(), badGuidance.err());
        assertTrue(badGuidance.err().contains("--guidance must be >= 0"), badGuidance.err());
        assertFalse(Files.exists(out));
    }
}
