package image2music.models.diffusion.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.models.train.TrainingArguments;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training set as Parquet (core's golden files: four 80 × 64 tiles written by Spark) opens to the
 * same items, windows and training as the same tiles as PNG files with a metadata.csv.
 */
class ParquetTrainingSetTest {

    @TempDir Path dir;

    static void copyFixture(String name, Path to) throws IOException {
        try (InputStream in =
                ParquetTrainingSetTest.class.getResourceAsStream("/fixtures/parquet/" + name)) {
            assertNotNull(in, name);
            Files.createDirectories(to.toAbsolutePath().getParent());
            Files.write(to, in.readAllBytes());
        }
    }

    /** The tiles as an imagefolder in {@code folder}. */
    static Path imageFolder(Path folder) throws IOException {
        for (int i = 0; i < 4; i++) {
            copyFixture("tile-" + i + ".png", folder.resolve("tile-" + i + ".png"));
        }
        copyFixture("metadata.csv", folder.resolve("metadata.csv"));
        return folder;
    }

    /** The tiles as a Parquet dataset folder ({@code data/train-00000-of-00001.parquet}). */
    static Path parquetFolder(Path folder, String fixture) throws IOException {
        copyFixture(fixture, folder.resolve("data/train-00000-of-00001.parquet"));
        return folder;
    }

    @Test
    void parquetRowsAreTheImageFoldersItems() throws IOException {
        SpectrogramImageFolder png = SpectrogramImageFolder.open(imageFolder(dir.resolve("png")));
        for (String fixture :
                List.of(
                        "snappy-dictionary.parquet",
                        "uncompressed-plain-row-groups.parquet",
                        "gzip-v2-delta.parquet")) {
            Path pq = parquetFolder(dir.resolve(fixture), fixture);
            SpectrogramImageFolder parquet = SpectrogramImageFolder.open(pq);
            assertEquals(pq.toAbsolutePath().normalize(), parquet.dir());
            assertEquals(png.size(), parquet.size());
            assertEquals(png.captions(), parquet.captions());
            for (int i = 0; i < png.size(); i++) {
                SpectrogramImageFolder.Item a = png.items().get(i);
                SpectrogramImageFolder.Item b = parquet.items().get(i);
                assertNull(a.row());
                assertNotNull(b.row());
                assertEquals(a.file().getFileName(), b.file().getFileName());
                assertEquals(a.caption(), b.caption());
                assertEquals(a.width(), b.width());
                assertEquals(a.height(), b.height());
                assertEquals(a.size(), b.size());
                assertArrayEquals(a.bytes(), b.bytes());
                assertArrayEquals(
                        SpectrogramImageFolder.window(a, 7, 64),
                        SpectrogramImageFolder.window(b, 7, 64),
                        fixture + " " + b.where());
            }
            parquet.checkFits(64, 64);
        }
    }

    @Test
    void aSingleParquetFileOpensAndMetadataCsvWinsOverData() throws IOException {
        Path file = dir.resolve("one.parquet");
        copyFixture("snappy-v2-dictionary.parquet", file);
        SpectrogramImageFolder f = SpectrogramImageFolder.open(file);
        assertEquals(4, f.size());
        assertEquals(dir.toAbsolutePath().normalize(), f.dir());
        assertTrue(f.items().get(1).where().contains("one.parquet: row 1 (tile-1.png)"));

        // A folder with both layouts (build-dataset --format parquet) trains from metadata.csv.
        Path both = parquetFolder(imageFolder(dir.resolve("both")), "snappy-dictionary.parquet");
        assertNull(SpectrogramImageFolder.open(both).items().get(0).row());
    }

    @Test
    void aCorruptOrForeignParquetFileIsNamed() throws IOException {
        Path data = dir.resolve("bad/data/train-00000-of-00001.parquet");
        Files.createDirectories(data.getParent());
        Files.write(data, "PAR1 not really".getBytes(StandardCharsets.US_ASCII));
        IOException e =
                assertThrows(
                        IOException.class, () -> SpectrogramImageFolder.open(dir.resolve("bad")));
        assertTrue(
                e.getMessage().startsWith(data.toAbsolutePath().normalize().toString()),
                e.getMessage());

        Path none = dir.resolve("empty");
        Files.createDirectories(none);
        e = assertThrows(IOException.class, () -> SpectrogramImageFolder.open(none));
        assertTrue(e.getMessage().contains("no metadata.csv nor data/*.parquet"), e.getMessage());
    }

    @Test
    void fileNamesFromImagePathAreReducedToOneSafeSegment() {
        byte[] p = "C:\\data\\x.png".getBytes(StandardCharsets.UTF_8);
        assertEquals("x.png", SpectrogramImageFolder.fileName(p, 3));
        assertEquals("y.png", SpectrogramImageFolder.fileName("/a/b/y.png".getBytes(), 3));
        assertEquals("row-00000003.png", SpectrogramImageFolder.fileName("a/..".getBytes(), 3));
        assertEquals("row-00000004.png", SpectrogramImageFolder.fileName(null, 4));
        assertEquals("row-00000005.png", SpectrogramImageFolder.fileName("dir/".getBytes(), 5));
        assertEquals("row-00000006.png", SpectrogramImageFolder.fileName("a*b.png".getBytes(), 6));
    }

    private static String sha16(byte[] b) throws NoSuchAlgorithmException {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(b))
                .substring(0, 16);
    }

    /**
     * Two steps on the tiny pipeline: the Parquet dataset trains the very weights the image folder
     * does, and its latent cache is keyed on the PNG bytes as the folder's is.
     */
    @Test
    void trainsAsTheImageFolderDoesWithTheSameLatentCacheKeys() throws Exception {
        Path png = imageFolder(dir.resolve("png"));
        Path pq = parquetFolder(dir.resolve("pq"), "snappy-dictionary.parquet");
        TrainingArguments args = GeneratorTrainerTest.args().maxSteps(2).epochs(2).build();
        Path init = GeneratorTrainerTest.tinyInit(dir.resolve("init"));
        GeneratorTrainingConfig c =
                new GeneratorTrainingConfig(
                        args, init, null, 0, 0, false, 0, 0, null, 64, false, 0.1, List.of(), 2, 1);
        List<Double> a = GeneratorTrainerTest.train(c, png, dir.resolve("out-png"), false);
        List<Double> b = GeneratorTrainerTest.train(c, pq, dir.resolve("out-pq"), false);
        assertEquals(2, b.size());
        assertEquals(a, b);
        assertArrayEquals(
                Files.readAllBytes(dir.resolve("out-png/unet/diffusion_pytorch_model.safetensors")),
                Files.readAllBytes(dir.resolve("out-pq/unet/diffusion_pytorch_model.safetensors")));
        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < 4; i++) {
            expected.add(
                    sha16(Files.readAllBytes(png.resolve("tile-" + i + ".png"))) + ".safetensors");
        }
        assertEquals(expected, latentNames(dir.resolve("out-pq")));
        assertEquals(expected, latentNames(dir.resolve("out-png")));
    }

    private static Set<String> latentNames(Path out) throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> s = Files.walk(out.resolve(".latents"))) {
            s.filter(Files::isRegularFile).forEach(p -> names.add(p.getFileName().toString()));
        }
        return names;
    }
}
