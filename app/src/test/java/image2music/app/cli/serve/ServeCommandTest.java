package image2music.app.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.app.cli.CliRun;
import image2music.pipeline.TinyModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve}'s refusals: each a usage error naming the option, before anything loads. */
class ServeCommandTest {

    @TempDir Path dir;

    @Test
    void outOfRangeOptionsAreUsageErrors() throws IOException {
        Path tagger = TinyModels.tagger(dir.resolve("tagger"), List.of("calm", "gloomy"));
        Path generator = TinyModels.generator(dir.resolve("generator"));
        for (String[] bad :
                new String[][] {
                    {"--port", "70000"},
                    {"--width", "100"},
                    {"--steps", "0"},
                    {"--queue", "0"},
                    {"--max-seconds", "-1"},
                    {"--keep-minutes", "0"}
                }) {
            CliRun r =
                    CliRun.of(
                            "serve",
                            "--tagger",
                            tagger.toString(),
                            "--generator",
                            generator.toString(),
                            bad[0],
                            bad[1]);
            assertEquals(2, r.exitCode(), String.join(" ", bad) + ": " + r.err());
            assertTrue(r.err().contains(bad[0]), r.err());
        }
    }

    @Test
    void missingModelsAreNamed() throws IOException {
        Path tagger = TinyModels.tagger(dir.resolve("tagger"), List.of("calm", "gloomy"));
        CliRun r =
                CliRun.of(
                        "serve",
                        "--tagger",
                        tagger.toString(),
                        "--generator",
                        dir.resolve("nowhere").toString(),
                        "--port",
                        "0");
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("nowhere"), r.err());
        assertTrue(r.err().lines().count() == 1, r.err());
    }
}
