package image2music.audio.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.audio.Audio;
import image2music.audio.io.WavWriter;
import image2music.audio.spectrogram.SpectrogramImageIO;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.core.io.AtomicFiles;
import image2music.core.io.FolderLock;
import image2music.core.manifest.Manifest;
import image2music.core.manifest.MediaLayout;
import image2music.core.manifest.MediaRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetBuilderTest {

    /** 1 s segments cut into 64 px tiles: 101 columns -> 2 tiles of 63 hops each. */
    private static final DatasetParams PARAMS = new DatasetParams(1.0, 64, -60, 44100, 441);

    /** Records each tile's length instead of drawing it. */
    private static final class CountingRenderer implements TileRenderer {
        final AtomicInteger calls = new AtomicInteger();
        final Map<String, Integer> lengths = new ConcurrentHashMap<>();

        @Override
        public void render(Audio tile, Path out) throws IOException {
            calls.incrementAndGet();
            lengths.put(out.getFileName().toString(), tile.frames());
            AtomicFiles.write(out, ("samples=" + tile.frames()).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void tone(Path file, double seconds, double silentFrom, int rate)
            throws IOException {
        int n = (int) Math.round(seconds * rate);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] =
                    i >= silentFrom * rate
                            ? 0f
                            : (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / rate));
        }
        Files.createDirectories(file.getParent());
        WavWriter.write(file, Audio.mono(x, rate));
    }

    private static DatasetBuilder.Summary build(Path audio, Path out, TileRenderer r)
            throws Exception {
        return new DatasetBuilder(PARAMS, r, Map.of("renderer", "counting"), 2)
                .build(AudioSources.scan(audio), out, new DatasetBuilder.Listener() {});
    }

    @Test
    void buildsCaptionedTilesSkippingSilenceAndTails(@TempDir Path tmp) throws Exception {
        Path audio = tmp.resolve("audio");
        tone(
                audio.resolve("calm/a.wav"),
                3.5,
                2.0,
                44100); // segments: tone, tone, silent; tail 0.5 s
        Files.createDirectories(audio.resolve("gloomy"));
        Files.copy(audio.resolve("calm/a.wav"), audio.resolve("gloomy/same.wav"));
        tone(audio.resolve("bright sunny/b.wav"), 0.5, 9, 44100); // shorter than one segment
        Path out = tmp.resolve("out");
        CountingRenderer r = new CountingRenderer();

        DatasetBuilder.Summary s = build(audio, out, r);

        assertEquals(2, s.files()); // the copy under "gloomy" is the same content
        assertEquals(0, s.failedFiles());
        assertEquals(3, s.segments());
        assertEquals(1, s.silentSegments());
        assertEquals(1, s.shortFiles());
        assertEquals(4, s.images());
        assertEquals(1.0, s.tailSeconds(), 1e-6);
        assertEquals(4, r.calls.get());
        r.lengths.values().forEach(len -> assertEquals(63 * 441, len));
        String sha16 = MediaLayout.sha256Hex(audio.resolve("calm/a.wav")).substring(0, 16);
        List<String> csv = Files.readAllLines(out.resolve("metadata.csv"));
        assertEquals(
                List.of(
                        "file_name,text",
                        sha16 + "_000_00.png,\"calm, gloomy\"",
                        sha16 + "_000_01.png,\"calm, gloomy\"",
                        sha16 + "_001_00.png,\"calm, gloomy\"",
                        sha16 + "_001_01.png,\"calm, gloomy\""),
                csv);
    }

    @Test
    void secondRunRendersNothingAndRebuildsMissingImages(@TempDir Path tmp) throws Exception {
        Path audio = tmp.resolve("audio");
        tone(audio.resolve("calm/a.wav"), 2.2, 9, 44100);
        tone(audio.resolve("dark/b.wav"), 1.0, 9, 22050);
        Path out = tmp.resolve("out");
        build(audio, out, new CountingRenderer());
        String csv = Files.readString(out.resolve("metadata.csv"));

        CountingRenderer again = new CountingRenderer();
        DatasetBuilder.Summary s = build(audio, out, again);
        assertEquals(0, again.calls.get());
        assertEquals(2, s.resumedFiles());
        assertEquals(csv, Files.readString(out.resolve("metadata.csv")));

        // A lost image makes its file count as unfinished; only that image is drawn again.
        try (Stream<Path> files = Files.list(out)) {
            Path victim = files.filter(p -> p.toString().endsWith("_001_01.png")).findFirst().get();
            Files.delete(victim);
        }
        CountingRenderer third = new CountingRenderer();
        build(audio, out, third);
        assertEquals(1, third.calls.get());
        assertEquals(csv, Files.readString(out.resolve("metadata.csv")));
    }

    @Test
    void unreadableFileIsReportedByNameAndTheRunFinishes(@TempDir Path tmp) throws Exception {
        Path audio = tmp.resolve("audio");
        tone(audio.resolve("calm/good.wav"), 1.0, 9, 44100);
        Files.writeString(audio.resolve("calm/bad.wav"), "RIFF....WAVEjunk");
        Path out = tmp.resolve("out");

        DatasetBuilder.Summary s = build(audio, out, new CountingRenderer());

        assertEquals(1, s.failedFiles());
        assertTrue(s.failures().get(0).contains("bad.wav"), s.failures().toString());
        assertEquals(2, s.images());
        assertEquals(3, Files.readAllLines(out.resolve("metadata.csv")).size());
        try (Stream<Path> files = Files.list(out)) {
            assertFalse(files.anyMatch(p -> p.toString().endsWith(".part")));
        }
    }

    @Test
    void refusesToResumeWithOtherParameters(@TempDir Path tmp) throws Exception {
        Path audio = tmp.resolve("audio");
        tone(audio.resolve("calm/a.wav"), 1.0, 9, 44100);
        Path out = tmp.resolve("out");
        build(audio, out, new CountingRenderer());
        DatasetBuilder other =
                new DatasetBuilder(PARAMS.withTileWidth(0), new CountingRenderer(), Map.of(), 1);
        IOException e =
                assertThrows(
                        IOException.class,
                        () ->
                                other.build(
                                        AudioSources.fromLabelFolders(audio),
                                        out,
                                        new DatasetBuilder.Listener() {}));
        assertTrue(e.getMessage().contains("other parameters"), e.getMessage());
    }

    @Test
    void melBinsSetTheTileHeightAndTheirExifAndAChangeIsRefusedOnResume(@TempDir Path tmp)
            throws Exception {
        Path audio = tmp.resolve("audio");
        tone(audio.resolve("calm/a.wav"), 2.0, 9, 44100);
        Path out = tmp.resolve("out");
        DatasetParams p64 = PARAMS.withMelBins(64);
        SpectrogramParams sp = p64.spectrogramParams(SpectrogramParams.defaults());

        DatasetBuilder.Summary s =
                new DatasetBuilder(p64, new SpectrogramTileRenderer(sp), sp, 2)
                        .build(AudioSources.scan(audio), out, new DatasetBuilder.Listener() {});

        assertEquals(4, s.images()); // 2 segments x 2 tiles, as at 512 bins
        String sha16 = MediaLayout.sha256Hex(audio.resolve("calm/a.wav")).substring(0, 16);
        for (String tile : List.of("_000_00", "_000_01", "_001_00", "_001_01")) {
            Path png = out.resolve(sha16 + tile + ".png");
            SpectrogramImageIO.Loaded loaded = SpectrogramImageIO.read(png);
            assertEquals(64, loaded.image().getHeight(), tile);
            assertEquals(64, loaded.image().getWidth(), tile); // --tile-width is time only
            assertEquals(64, loaded.params().numFrequencies(), tile);
        }
        assertEquals(
                List.of(
                        "file_name,text",
                        sha16 + "_000_00.png,calm",
                        sha16 + "_000_01.png,calm",
                        sha16 + "_001_00.png,calm",
                        sha16 + "_001_01.png,calm"),
                Files.readAllLines(out.resolve("metadata.csv")));

        // Another bin count must not be mixed into the same set, even with the renderer's own
        // settings unchanged.
        DatasetBuilder other =
                new DatasetBuilder(PARAMS.withMelBins(128), new SpectrogramTileRenderer(sp), sp, 1);
        IOException e =
                assertThrows(
                        IOException.class,
                        () ->
                                other.build(
                                        AudioSources.scan(audio),
                                        out,
                                        new DatasetBuilder.Listener() {}));
        assertTrue(e.getMessage().contains("other parameters"), e.getMessage());
    }

    @Test
    void aSetRecordedBeforeMelBinsExistedResumesAt512Only(@TempDir Path tmp) throws Exception {
        Path audio = tmp.resolve("audio");
        tone(audio.resolve("calm/a.wav"), 1.0, 9, 44100);
        Path out = tmp.resolve("out");
        build(audio, out, new CountingRenderer());
        // Rewrite the record as older builds wrote it: no melBins in the dataset params.
        Path saved = out.resolve(DatasetBuilder.STATE_DIR).resolve("params.json");
        String json = Files.readString(saved);
        String old = json.replaceAll(",\\s*\"melBins\":\\s*512", "");
        assertFalse(old.contains("melBins"), old);
        Files.writeString(saved, old);

        DatasetBuilder.Summary s = build(audio, out, new CountingRenderer());
        assertEquals(1, s.resumedFiles());

        DatasetBuilder at64 =
                new DatasetBuilder(
                        PARAMS.withMelBins(64),
                        new CountingRenderer(),
                        Map.of("renderer", "counting"),
                        1);
        assertThrows(
                IOException.class,
                () -> at64.build(AudioSources.scan(audio), out, new DatasetBuilder.Listener() {}));
    }

    @Test
    void manifestLabelsAreUsedWhenTheFolderHasOne(@TempDir Path tmp) throws Exception {
        Path audio = tmp.resolve("scraped");
        Path file = audio.resolve("calm/0123456789abcdef.wav");
        tone(file, 1.0, 9, 48000);
        String sha = MediaLayout.sha256Hex(file);
        new Manifest(audio)
                .append(
                        MediaRecord.builder(
                                        "calm/0123456789abcdef.wav",
                                        List.of("calm", "night rain"),
                                        sha,
                                        Files.size(file),
                                        MediaRecord.YOUTUBE)
                                .videoId("abc")
                                .build());
        List<AudioSource> sources = AudioSources.scan(audio);
        assertEquals(1, sources.size());
        assertEquals(List.of("calm", "night rain"), sources.get(0).labels());

        Path out = tmp.resolve("out");
        build(audio, out, new CountingRenderer());
        List<String> csv = Files.readAllLines(out.resolve("metadata.csv"));
        assertEquals(sha.substring(0, 16) + "_000_00.png,\"calm, night rain\"", csv.get(1));
    }

    @Test
    void refusesToReplaceAMetadataCsvItDidNotWrite(@TempDir Path tmp) throws Exception {
        Path audio = tmp.resolve("audio");
        tone(audio.resolve("calm/a.wav"), 1.0, 9, 44100);
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path mine = out.resolve("metadata.csv");
        Files.writeString(mine, "file_name,text\nmy.png,my own caption\n");
        IOException e =
                assertThrows(IOException.class, () -> build(audio, out, new CountingRenderer()));
        assertTrue(e.getMessage().contains("not written by build-dataset"), e.getMessage());
        assertEquals("file_name,text\nmy.png,my own caption\n", Files.readString(mine));
        // its own table is rewritten on a resumed run as before
        Path ours = tmp.resolve("ours");
        build(audio, ours, new CountingRenderer());
        build(audio, ours, new CountingRenderer());
        assertTrue(Files.readString(ours.resolve("metadata.csv")).contains("calm"));
    }

    @Test
    void aSecondBuildIntoTheSameFolderIsRefusedWhileTheFirstRuns(@TempDir Path tmp)
            throws Exception {
        Path audio = tmp.resolve("audio");
        tone(audio.resolve("calm/a.wav"), 1.0, 9, 44100);
        Path out = tmp.resolve("out");
        try (FolderLock first = FolderLock.acquire(out)) {
            IOException e =
                    assertThrows(
                            FolderLock.InUseException.class,
                            () -> build(audio, out, new CountingRenderer()));
            assertTrue(e.getMessage().contains("is in use by PID"), e.getMessage());
        }
        assertEquals(1, build(audio, out, new CountingRenderer()).files());
        assertFalse(Files.exists(out.resolve(FolderLock.FILE_NAME)));
    }

    @Test
    void aManifestPathThroughASymlinkOutOfTheRootIsRefused(@TempDir Path tmp) throws Exception {
        Path outside = tmp.resolve("outside/secret.wav");
        tone(outside, 1.0, 9, 44100);
        Path audio = Files.createDirectories(tmp.resolve("scraped"));
        Files.createSymbolicLink(audio.resolve("calm"), outside.getParent());
        new Manifest(audio)
                .append(
                        MediaRecord.builder(
                                        "calm/secret.wav",
                                        List.of("calm"),
                                        MediaLayout.sha256Hex(outside),
                                        Files.size(outside),
                                        MediaRecord.LOCAL)
                                .build());
        IOException e = assertThrows(IOException.class, () -> AudioSources.scan(audio));
        assertTrue(e.getMessage().contains("leads outside"), e.getMessage());
    }

    @Test
    void aLongSourceIsStreamedASegmentAtATimeWithTheSameTiles(@TempDir Path tmp) throws Exception {
        Path audio = tmp.resolve("audio");
        Path ogg = Files.createDirectories(audio.resolve("calm")).resolve("tone.ogg");
        try (var in = getClass().getResourceAsStream("/fixtures/media/tone-22050-mono.ogg")) {
            Files.copy(in, ogg);
        }
        DatasetParams quarter = new DatasetParams(0.25, 0, -60, 44100, 441);
        CountingRenderer whole = new CountingRenderer();
        DatasetBuilder.Summary a =
                new DatasetBuilder(quarter, whole, Map.of(), 1)
                        .build(
                                AudioSources.scan(audio),
                                tmp.resolve("whole"),
                                new DatasetBuilder.Listener() {});
        CountingRenderer streamed = new CountingRenderer();
        DatasetBuilder.Summary b =
                new DatasetBuilder(quarter, streamed, Map.of(), 1)
                        .streamingAbove(0.1)
                        .build(
                                AudioSources.scan(audio),
                                tmp.resolve("streamed"),
                                new DatasetBuilder.Listener() {});
        assertEquals(0, b.failedFiles(), b.failures().toString());
        assertEquals(4, a.segments());
        assertEquals(a.segments(), b.segments());
        assertEquals(a.images(), b.images());
        assertEquals(whole.lengths, streamed.lengths);
        assertEquals(a.tailSeconds(), b.tailSeconds(), 0.03);
    }
}
