package image2music.app.cli.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import image2music.app.cli.CliRun;
import image2music.core.manifest.Manifest;
import image2music.data.media.TestImages;
import image2music.data.scrape.FakeWebServer;
import image2music.data.scrape.FakeWebServer.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScrapeImagesCommandTest {

    @TempDir Path dir;
    private FakeWebServer server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeWebServer();
        for (int i = 0; i < 3; i++) {
            server.image("c" + i + ".png", TestImages.png(i, 64, 48), "image/png", Fault.NONE);
            server.image(
                    "s" + i + ".jpg", TestImages.jpeg(50 + i, 64, 48), "image/jpeg", Fault.NONE);
        }
        server.image("html.jpg", "<html></html>".getBytes(), "text/html", Fault.NONE);
        server.results("calm", server.hitsFor("c0.png", "html.jpg", "c1.png", "c2.png"));
        server.results("stormy sea", server.hitsFor("s0.jpg", "s1.jpg", "s2.jpg"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private CliRun scrape(String... extra) {
        String[] base = {
            "scrape-images",
            "--labels",
            "calm,stormy sea",
            "--per-label",
            "2",
            "--out",
            dir.toString(),
            "--endpoint",
            server.searchEndpoint().toString(),
            "--delay",
            "0",
            "--no-progress",
            "--format",
            "png",
            "--max-side",
            "32"
        };
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }

    @Test
    void scrapesEachLabelIntoItsFolderAndResumes() throws Exception {
        CliRun run = scrape("--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonObject summary = JsonParser.parseString(run.out().trim()).getAsJsonObject();
        assertEquals(4, summary.get("kept").getAsInt());
        assertEquals(1, summary.get("rejected").getAsInt()); // html.jpg
        try (var files = Files.list(dir.resolve("stormy sea"))) {
            assertTrue(
                    files.allMatch(f -> f.getFileName().toString().matches("[0-9a-f]{16}\\.png")));
        }
        assertEquals(4, new Manifest(dir).readAll().size());
        assertEquals(32, new Manifest(dir).readAll().get(0).width());

        int downloads = server.imageRequests();
        CliRun again = scrape();
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.out().contains("total: kept 0 new (4 in all)"), again.out());
        assertEquals(downloads, server.imageRequests());
    }

    @Test
    void badLabelIsOneErrorLine() {
        CliRun run =
                CliRun.of(
                        "scrape-images",
                        "--labels",
                        "a/b",
                        "--per-label",
                        "1",
                        "--out",
                        dir.toString(),
                        "--endpoint",
                        server.searchEndpoint().toString());
        assertEquals(1, run.exitCode());
        assertEquals("error: label 'a/b' holds '/' (not allowed in labels)", run.err().trim());
    }

    @Test
    void aRunInWhichEveryRequestFailedExitsOneSayingWhy() {
        server.searchFault(Fault.ERROR_500_ALWAYS);
        CliRun run = scrape("--retries", "0");
        assertEquals(1, run.exitCode(), run.err());
        List<String> lines = run.err().lines().toList();
        assertTrue(
                lines.get(lines.size() - 1).startsWith("error: every search request failed"),
                run.err());
        assertTrue(run.out().isEmpty(), run.out());
    }

    @Test
    void missingOptionIsAUsageError() {
        assertEquals(
                2, CliRun.of("scrape-images", "--labels", "x", "--out", dir.toString()).exitCode());
    }
}
