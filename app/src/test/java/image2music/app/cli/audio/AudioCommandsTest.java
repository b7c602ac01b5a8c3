package image2music.app.cli.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import image2music.app.cli.CliRun;
import image2music.audio.Audio;
import image2music.audio.io.WavWriter;
import image2music.core.manifest.Manifest;
import image2music.core.manifest.MediaRecord;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioCommandsTest {

    @TempDir Path dir;

    /** The fake yt-dlp script of the data module's tests, copied out of its jar. */
    private Path fakeYtDlp() throws Exception {
        Path script = dir.resolve("fake-yt-dlp.sh");
        try (InputStream in = getClass().getResourceAsStream("/fake-yt-dlp/yt-dlp.sh")) {
            Files.copy(in, script);
        }
        return script;
    }

    @Test
    void scrapeAudioSearchesPerLabelAndPrintsJson() throws Exception {
        Path out = dir.resolve("audio");
        CliRun run =
                CliRun.of(
                        "scrape-audio",
                        "--labels",
                        "calm,dark night",
                        "--per-label",
                        "2",
                        "--out",
                        out.toString(),
                        "--yt-dlp",
                        fakeYtDlp().toString(),
                        "--min-seconds",
                        "1",
                        "--no-progress",
                        "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonObject summary = JsonParser.parseString(run.out().trim()).getAsJsonObject();
        assertEquals(4, summary.get("kept").getAsInt());
        List<MediaRecord> records = new Manifest(out).readAll();
        assertEquals("dark night music", records.get(2).query());
        assertEquals("dark-night-music-1", records.get(2).videoId());
    }

    @Test
    void scrapeAudioReadsAnUrlList() throws Exception {
        Path list = dir.resolve("urls.txt");
        Files.writeString(
                list,
                "https://www.youtube.com/watch?v=one\nrain\thttps://www.youtube.com/watch?v=two\n");
        Path out = dir.resolve("audio");
        CliRun run =
                CliRun.of(
                        "scrape-audio",
                        "--labels",
                        "calm",
                        "--urls",
                        list.toString(),
                        "--out",
                        out.toString(),
                        "--yt-dlp",
                        fakeYtDlp().toString(),
                        "--min-seconds",
                        "1",
                        "--no-progress");
        assertEquals(0, run.exitCode(), run.err());
        List<MediaRecord> records = new Manifest(out).readAll();
        assertEquals(List.of("calm"), records.get(0).labels());
        assertEquals(List.of("rain"), records.get(1).labels());
    }

    @Test
    void missingYtDlpIsOneLineWithTheInstallHint() {
        CliRun run =
                CliRun.of(
                        "scrape-audio",
                        "--labels",
                        "calm",
                        "--out",
                        dir.toString(),
                        "--yt-dlp",
                        dir.resolve("nowhere/yt-dlp").toString());
        assertEquals(1, run.exitCode());
        String err = run.err().trim();
        assertTrue(err.startsWith("error: yt-dlp not found"), err);
        assertTrue(err.contains("pipx install yt-dlp") && !err.contains("\n"), err);
    }

    @Test
    void importAudioCopiesReadableFiles() throws Exception {
        Path from = Files.createDirectories(dir.resolve("mine/sad piano"));
        float[] x = new float[16000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i * 0.1);
        }
        WavWriter.write(from.resolve("take 1.wav"), new Audio(new float[][] {x}, 8000));
        Files.writeString(from.resolve("notes.md"), "not audio");
        Path out = dir.resolve("audio");
        CliRun run =
                CliRun.of(
                        "import-audio",
                        "--from",
                        dir.resolve("mine").toString(),
                        "--out",
                        out.toString(),
                        "--no-progress");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("'sad piano': kept 1 new"), run.out());
        assertTrue(run.out().contains("{unreadable=1}"), run.out());
        assertEquals(2.0, new Manifest(out).readAll().get(0).durationS(), 1e-3);
    }
}
