package image2music.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.audio.Audio;
import image2music.audio.SyntheticMusic;
import image2music.audio.dataset.AudioSources;
import image2music.audio.dataset.DatasetBuilder;
import image2music.audio.dataset.DatasetParams;
import image2music.audio.dataset.MetadataCsv;
import image2music.audio.dataset.SpectrogramTileRenderer;
import image2music.audio.io.WavWriter;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.core.manifest.Manifest;
import image2music.core.manifest.MediaLayout;
import image2music.core.manifest.MediaRecord;
import image2music.core.parquet.ParquetFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkDatasetBuilderTest {

    /** 2 s segments in 128 px tiles (201 columns: 2 tiles), 128 mel rows: small and quick. */
    private static final DatasetParams PARAMS = new DatasetParams(2.0, 128, -60, 44100, 441, 128);

    private static final int RATE = 44100;

    @TempDir static Path tmp;
    private static Path corpus;
    private static Path localOut;
    private static SparkSession spark;

    @BeforeAll
    static void setUp() throws Exception {
        corpus = tmp.resolve("audio");
        music(corpus.resolve("calm/a.wav"), 5.0, 1); // 2 segments, 1 s tail
        music(corpus.resolve("calm/b.wav"), 4.0, 2);
        Files.createDirectories(corpus.resolve("gloomy"));
        Files.copy(corpus.resolve("calm/a.wav"), corpus.resolve("gloomy/same.wav"));
        music(corpus.resolve("bright, sunny/c.wav"), 6.5, 3);
        music(corpus.resolve("gloomy/short.wav"), 1.0, 4); // shorter than a segment
        silentThenMusic(corpus.resolve("gloomy/quiet.wav"));
        localOut = tmp.resolve("local");
        SpectrogramParams sp = PARAMS.spectrogramParams(SpectrogramParams.defaults());
        new DatasetBuilder(PARAMS, new SpectrogramTileRenderer(sp), sp, 2)
                .build(AudioSources.scan(corpus), localOut, new DatasetBuilder.Listener() {});
        spark = TestSpark.session();
    }

    @AfterAll
    static void tearDown() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static void music(Path file, double seconds, long seed) throws IOException {
        Files.createDirectories(file.getParent());
        WavWriter.write(file, SyntheticMusic.clip(seconds, RATE, seed));
    }

    private static void silentThenMusic(Path file) throws IOException {
        float[] music = SyntheticMusic.clip(2.0, RATE, 5).channel(0);
        float[] x = new float[4 * RATE];
        System.arraycopy(music, 0, x, 2 * RATE, music.length);
        Files.createDirectories(file.getParent());
        WavWriter.write(file, Audio.mono(x, RATE));
    }

    private static DatasetBuilder.Summary sparkBuild(Path audio, Path out) throws IOException {
        return new SparkDatasetBuilder(spark, PARAMS).build(audio.toString(), out.toString());
    }

    private static Set<String> pngs(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return new TreeSet<>(
                    s.map(p -> p.getFileName().toString())
                            .filter(n -> n.endsWith(".png"))
                            .toList());
        }
    }

    /** PNG bytes equal, metadata.csv rows equal (order aside), nothing else at the top level. */
    private static void assertSameDataset(Path expected, Path actual) throws IOException {
        Set<String> names = pngs(expected);
        assertFalse(names.isEmpty());
        assertEquals(names, pngs(actual));
        for (String n : names) {
            assertArrayEquals(
                    Files.readAllBytes(expected.resolve(n)),
                    Files.readAllBytes(actual.resolve(n)),
                    n);
        }
        List<MetadataCsv.Row> rows = MetadataCsv.read(actual.resolve(MetadataCsv.FILE_NAME));
        assertEquals(rows.size(), new HashSet<>(rows).size(), "duplicate metadata rows");
        assertEquals(
                new HashSet<>(MetadataCsv.read(expected.resolve(MetadataCsv.FILE_NAME))),
                new HashSet<>(rows));
        assertFalse(Files.exists(actual.resolve(FileTask.TEMP_DIR)), "temporary files left");
    }

    @Test
    void buildsTheLocalBuildersDatasetAndResumes() throws Exception {
        Path out = tmp.resolve("spark");
        DatasetBuilder.Summary s = sparkBuild(corpus, out);

        assertSameDataset(localOut, out);
        assertEquals(5, s.files()); // a.wav and gloomy/same.wav are one source
        assertEquals(0, s.failedFiles());
        assertEquals(1, s.silentSegments());
        assertEquals(1, s.shortFiles());
        assertEquals(pngs(out).size(), s.images());
        assertTrue(Files.exists(out.resolve(DatasetBuilder.STATE_DIR).resolve("params.json")));

        DatasetBuilder.Summary again = sparkBuild(corpus, out);
        assertEquals(5, again.resumedFiles());
        assertSameDataset(localOut, out);
    }

    @Test
    void aCorruptFileFailsItsRowNotTheJob() throws Exception {
        Path audio = tmp.resolve("with-corrupt");
        copyTree(corpus, audio);
        Path bad = audio.resolve("calm/broken.wav");
        Files.write(bad, "RIFF not really a wave file".getBytes(StandardCharsets.US_ASCII));
        Path out = tmp.resolve("spark-corrupt");

        DatasetBuilder.Summary s = sparkBuild(audio, out);

        assertEquals(6, s.files());
        assertEquals(1, s.failedFiles());
        assertSameDataset(localOut, out);
        String rejects =
                Files.readString(out.resolve(SparkDatasetBuilder.REJECTS), StandardCharsets.UTF_8);
        assertEquals(1, rejects.strip().lines().count(), rejects);
        assertTrue(rejects.contains("\"file\":\"calm/broken.wav\""), rejects);
        assertTrue(rejects.contains(bad.toString() + ": "), "reason names the file: " + rejects);
    }

    @Test
    void aTaskFailingOnItsFirstAttemptIsRetriedWithoutDuplicates() throws Exception {
        AtomicInteger failedTasks = new AtomicInteger();
        SparkListener listener =
                new SparkListener() {
                    @Override
                    public void onTaskEnd(SparkListenerTaskEnd end) {
                        if (end.reason() != Success$.MODULE$) {
                            failedTasks.incrementAndGet();
                        }
                    }
                };
        spark.sparkContext().addSparkListener(listener);
        spark.sparkContext().setLocalProperty(FileTask.FAIL_FIRST_ATTEMPT, "true");
        Path out = tmp.resolve("spark-retried");
        try {
            DatasetBuilder.Summary s = sparkBuild(corpus, out);
            assertEquals(0, s.failedFiles());
        } finally {
            spark.sparkContext().setLocalProperty(FileTask.FAIL_FIRST_ATTEMPT, null);
            spark.sparkContext().removeSparkListener(listener);
        }
        assertTrue(failedTasks.get() > 0, "no task failed: the injection did not run");
        assertSameDataset(localOut, out);
    }

    @Test
    void readsAManifestAsTheLocalBuilderDoes() throws Exception {
        Path audio = tmp.resolve("scraped");
        Manifest manifest = new Manifest(audio);
        int n = 0;
        for (String rel : List.of("calm/b.wav", "bright, sunny/c.wav", "calm/a.wav")) {
            Path from = corpus.resolve(rel);
            String sha = MediaLayout.sha256Hex(from);
            String label = rel.startsWith("bright") ? "bright" : rel.substring(0, rel.indexOf('/'));
            String path = MediaLayout.relativePath(label, sha, "wav");
            Files.createDirectories(audio.resolve(path).getParent());
            Files.copy(from, audio.resolve(path));
            // The second label of a.wav comes in a second record of the same content.
            List<String> labels = n++ == 2 ? List.of("calm", "gloomy") : List.of(label);
            manifest.append(
                    MediaRecord.builder(path, labels, sha, Files.size(from), MediaRecord.LOCAL)
                            .build());
        }
        Path localManifestOut = tmp.resolve("local-manifest");
        SpectrogramParams sp = PARAMS.spectrogramParams(SpectrogramParams.defaults());
        new DatasetBuilder(PARAMS, new SpectrogramTileRenderer(sp), sp, 2)
                .build(
                        AudioSources.scan(audio),
                        localManifestOut,
                        new DatasetBuilder.Listener() {});
        Path out = tmp.resolve("spark-manifest");

        DatasetBuilder.Summary s = sparkBuild(audio, out);

        assertEquals(3, s.files());
        assertSameDataset(localManifestOut, out);
        assertTrue(
                Files.readString(out.resolve(MetadataCsv.FILE_NAME)).contains("\"calm, gloomy\""));
    }

    @Test
    void parquetHoldsEveryTileWithItsCaptionInTheHuggingFaceLayout() throws Exception {
        Path out = tmp.resolve("spark-parquet");

        new SparkDatasetBuilder(spark, PARAMS, SparkDatasetBuilder.Format.PARQUET)
                .build(corpus.toString(), out.toString());

        assertSameDataset(localOut, out);
        Path data = out.resolve(ParquetExport.DATA_DIR);
        try (Stream<Path> files = Files.list(data)) {
            assertEquals(
                    List.of("train-00000-of-00001.parquet"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        List<Row> rows =
                spark.read()
                        .parquet(data.toString())
                        .select("image.bytes", "image.path", "text")
                        .collectAsList();
        List<MetadataCsv.Row> expected = MetadataCsv.read(localOut.resolve(MetadataCsv.FILE_NAME));
        assertEquals(expected.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            assertEquals(expected.get(i).fileName(), r.getString(1), "rows in file-name order");
            assertEquals(expected.get(i).text(), r.getString(2));
            assertArrayEquals(
                    Files.readAllBytes(localOut.resolve(r.getString(1))),
                    (byte[]) r.get(0),
                    r.getString(1));
        }
        String card = Files.readString(out.resolve(ParquetExport.CARD));
        assertTrue(card.contains("dtype: image") && card.contains("path: data/train-*"), card);

        // Our own reader (what train-generator uses, without Hadoop) finds the local builder's
        // tiles, names and captions in the same order.
        try (ParquetFile f = ParquetFile.open(data.resolve("train-00000-of-00001.parquet"))) {
            List<String> names = new ArrayList<>();
            int row = 0;
            for (int g = 0; g < f.rowGroupCount(); g++) {
                byte[][] png = f.readBinary(g, "image.bytes");
                byte[][] path = f.readBinary(g, "image.path");
                byte[][] text = f.readBinary(g, "text");
                for (int i = 0; i < png.length; i++, row++) {
                    String name = new String(path[i], StandardCharsets.UTF_8);
                    names.add(name);
                    assertEquals(expected.get(row).fileName(), name);
                    assertEquals(
                            expected.get(row).text(), new String(text[i], StandardCharsets.UTF_8));
                    assertArrayEquals(Files.readAllBytes(localOut.resolve(name)), png[i], name);
                }
            }
            assertEquals(expected.size(), row);
            assertEquals(pngs(localOut), new TreeSet<>(names));
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
