package image2music.app.cli.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.app.cli.CliRun;
import image2music.audio.dataset.AudioSources;
import image2music.models.vit.data.ImageDataset;
import image2music.models.vit.data.ImageItem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthCorpusCommandTest {

    @TempDir Path tmp;

    @Test
    void writesBothRootsThatTheTaggerDatasetAndBuildDatasetRead() throws Exception {
        Path out = tmp.resolve("corpus");
        CliRun run =
                CliRun.of(
                        "synth-corpus",
                        "--out",
                        out.toString(),
                        "--moods",
                        "calm, gloomy,dreamy",
                        "--per-mood",
                        "2",
                        "--seconds",
                        "2",
                        "--no-progress");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("made 6 new items (6 in all) with "), run.out());

        Set<String> labels = new TreeSet<>();
        for (ImageItem item : ImageDataset.scan(out.resolve("images"))) {
            labels.addAll(item.labels());
        }
        assertEquals(Set.of("calm", "dreamy", "gloomy"), labels);
        assertEquals(6, AudioSources.scan(out.resolve("audio")).size());

        CliRun again =
                CliRun.of(
                        "synth-corpus",
                        "--out",
                        out.toString(),
                        "--moods",
                        "calm,gloomy,dreamy",
                        "--per-mood",
                        "2",
                        "--seconds",
                        "2",
                        "--no-progress");
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.out().startsWith("made 0 new items (6 in all)"), again.out());
    }

    @Test
    void badValuesAreUsageErrors() {
        Path out = tmp.resolve("o");
        for (String[] bad :
                new String[][] {
                    {"--per-mood", "0"},
                    {"--seconds", "0"},
                    {"--moods", "a/b"},
                    {"--per-mood", "many"}
                }) {
            CliRun run = CliRun.of("synth-corpus", "--out", out.toString(), bad[0], bad[1]);
            assertEquals(2, run.exitCode(), String.join(" ", bad) + ": " + run.err());
        }
    }

    @Test
    void aBrokenSoundfontOrAnUnwritableOutIsOneErrorLine() throws Exception {
        Path broken = Files.writeString(tmp.resolve("broken.sf2"), "not a soundfont");
        CliRun run =
                CliRun.of(
                        "synth-corpus",
                        "--out",
                        tmp.resolve("o").toString(),
                        "--soundfont",
                        broken.toString(),
                        "--no-progress");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().startsWith("error: " + broken + ": not a SoundFont"), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());

        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        CliRun blocked =
                CliRun.of(
                        "synth-corpus",
                        "--out",
                        file.toString(),
                        "--per-mood",
                        "1",
                        "--seconds",
                        "1",
                        "--no-progress");
        assertEquals(1, blocked.exitCode());
        assertTrue(blocked.err().startsWith("error: " + file), blocked.err());
        assertEquals(1, blocked.err().strip().lines().count(), blocked.err());
    }
}
