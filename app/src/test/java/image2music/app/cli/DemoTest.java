package image2music.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import image2music.audio.Audio;
import image2music.audio.io.WavReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo --quick} end to end: corpus, both models, music for held-out pictures, report. */
class DemoTest {

    @TempDir Path dir;

    @Test
    void quickDemoTrainsBothModelsAndReportsMusicForHeldOutPictures() throws Exception {
        Path out = dir.resolve("demo");
        long t = System.nanoTime();
        CliRun r = CliRun.of("demo", "--quick", "--out", out.toString(), "--seed", "7");
        double seconds = (System.nanoTime() - t) / 1e9;
        assertEquals(0, r.exitCode(), r.err() + r.out());
        System.out.printf("demo --quick took %.1f s%n%s%n", seconds, r.out());
        assertTrue(r.out().contains("image-to-music --tagger"), r.out());

        assertTrue(Files.isRegularFile(out.resolve("models/tagger/config.json")));
        assertTrue(Files.isDirectory(out.resolve("models/generator")));
        assertTrue(Files.isRegularFile(out.resolve("models/generator/spectrogram.json")));

        String html = Files.readString(out.resolve("report.html"));
        List<String> refs = new ArrayList<>();
        Matcher m = Pattern.compile("src=\"([^\"]+)\"").matcher(html);
        while (m.find()) {
            refs.add(m.group(1));
        }
        assertTrue(refs.stream().anyMatch(s -> s.endsWith(".wav")), html);
        assertTrue(refs.stream().anyMatch(s -> s.endsWith(".png")), html);
        for (String ref : refs) {
            assertFalse(Path.of(ref).isAbsolute(), ref);
            assertTrue(Files.isRegularFile(out.resolve(ref)), ref);
        }
        assertTrue(html.contains("train-generator --data"), html);
        assertTrue(html.contains("<audio controls"), html);

        JsonObject summary =
                JsonParser.parseString(Files.readString(out.resolve("demo.json")))
                        .getAsJsonObject();
        JsonArray clips = summary.getAsJsonArray("clips");
        assertEquals(4, clips.size(), "one held-out picture per mood");
        java.util.Set<Long> seeds = new java.util.HashSet<>();
        for (var e : clips) {
            Path wav = out.resolve(e.getAsJsonObject().get("wav").getAsString());
            Audio a = WavReader.read(wav);
            assertEquals(3.0, a.durationSeconds(), 0.05, wav.toString());
            assertTrue(a.rmsDbfs() > -60, wav + " is silent: " + a.rmsDbfs() + " dBFS");
            Path sidecar =
                    wav.resolveSibling(wav.getFileName().toString().replace(".wav", ".json"));
            seeds.add(
                    JsonParser.parseString(Files.readString(sidecar))
                            .getAsJsonObject()
                            .get("seed")
                            .getAsLong());
        }
        // Pictures tagged alike must not get the very same piece: each has its own seed.
        assertEquals(4, seeds.size(), "seeds " + seeds);

        // The evaluation: its figures, the report's section and the clips generated per mood.
        JsonObject ev =
                JsonParser.parseString(Files.readString(out.resolve("evaluation.json")))
                        .getAsJsonObject();
        assertEquals(4, ev.getAsJsonArray("classes").size());
        assertEquals(4, ev.getAsJsonArray("end_to_end").size());
        // Above chance (1 in 4) even at the quick budget: its generator has learned at least each
        // mood's overall loudness and texture. Seeds 7, 42 and 3 gave 0.50, 0.63 and 0.50 (8, 10
        // and 8 of 16 clips; 5 pass), energetic heard right every time.
        double cas = ev.get("cas").getAsDouble();
        assertTrue(cas > 0.25, "CAS " + cas + " is not above chance");
        assertEquals(
                4 * 4,
                ev.getAsJsonObject("clips").entrySet().stream()
                        .mapToInt(e -> e.getValue().getAsJsonArray().size())
                        .sum());
        assertTrue(ev.get("frechet").getAsDouble() >= 0);
        assertTrue(ev.get("frechet_reference").getAsDouble() >= 0);
        assertTrue(html.contains("Does the music fit the mood?"), html);
        assertTrue(html.contains("<svg"), "training curves");
        assertTrue(refs.stream().anyMatch(s -> s.startsWith("evaluation/clips/")), html);
        assertTrue(r.out().contains("CAS"), r.out());

        // A rerun finds every stage complete.
        CliRun again = CliRun.of("demo", "--quick", "--out", out.toString(), "--seed", "7");
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.out().contains("train-generator: output complete"), again.out());
        assertTrue(again.out().contains("kept from an earlier run"), again.out());
        assertTrue(again.out().contains("classifier: kept from an earlier run"), again.out());

        // Models trained to the end by a run killed before it marked the stages done: left as
        // they are, said so, no "last loss NaN".
        Files.delete(out.resolve(".stages").resolve("train-tagger.done"));
        Files.delete(out.resolve(".stages").resolve("train-generator.done"));
        CliRun third = CliRun.of("demo", "--quick", "--out", out.toString(), "--seed", "7");
        assertEquals(0, third.exitCode(), third.err());
        assertFalse(third.out().contains("NaN"), third.out());
        assertEquals(
                2,
                third.out().lines().filter(l -> l.contains("already trained")).count(),
                third.out());

        // Another seed in the same folder would mix two corpora: a usage error naming both.
        CliRun other = CliRun.of("demo", "--quick", "--out", out.toString(), "--seed", "8");
        assertEquals(2, other.exitCode(), other.err());
        assertTrue(other.err().contains("'--quick --seed 7'"), other.err());
    }
}
