package image2music.spark;

import image2music.audio.spectrogram.SpectrogramImage;
import image2music.audio.spectrogram.SpectrogramImageIO;
import image2music.audio.spectrogram.SpectrogramParams;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Rebuilds the golden Parquet files of {@code core/src/test/resources/fixtures/parquet/} with
 * Spark's writer (parquet-mr): four 80 × 64 spectrogram PNGs with captions in HuggingFace's image
 * table layout, written four ways. Not a test; run it on purpose:
 *
 * <pre>
 * mvn -B -o -q -pl spark -am verify -Dtest=ParquetGoldenFiles -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dimage2music.writeGolden=true
 * </pre>
 */
class ParquetGoldenFiles {

    static final Path OUT = Path.of("../core/src/test/resources/fixtures/parquet");

    /** The four tiles: 80 × 64, calm low / bright high bands, a faint pulse. */
    static List<byte[]> pngs() throws IOException {
        SpectrogramParams params =
                new SpectrogramParams(false, 44100, 10, 100, 400, 64, 0, 10000, 0.25, 32);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            BufferedImage img = new BufferedImage(80, 64, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 80; x++) {
                    int v = (i % 2 == 0) == (y > 32) ? 40 : 220;
                    v += (x / (4 + i)) % 2 * 6; // a pulse, its period per tile
                    img.setRGB(x, y, (v << 16) | (v << 8) | v);
                }
            }
            out.add(
                    SpectrogramImageIO.encode(
                            Path.of("tile.png"), img, params, SpectrogramImage.DEFAULT_MAX_VALUE));
        }
        return out;
    }

    @Test
    @EnabledIfSystemProperty(named = "image2music.writeGolden", matches = "true")
    void write() throws IOException {
        Files.createDirectories(OUT);
        List<byte[]> pngs = pngs();
        List<Row> rows = new ArrayList<>();
        StringBuilder csv = new StringBuilder("file_name,text\n");
        for (int i = 0; i < pngs.size(); i++) {
            String name = "tile-" + i + ".png";
            String text = i % 2 == 0 ? "calm" : "bright";
            Files.write(OUT.resolve(name), pngs.get(i));
            csv.append(name).append(',').append(text).append('\n');
            rows.add(RowFactory.create(RowFactory.create(pngs.get(i), name), text));
        }
        Files.writeString(OUT.resolve("metadata.csv"), csv);
        StructType image =
                new StructType()
                        .add("bytes", DataTypes.BinaryType, true)
                        .add("path", DataTypes.StringType, true);
        StructType schema =
                new StructType().add("image", image, true).add("text", DataTypes.StringType, true);
        SparkSession spark = TestSpark.session();
        try {
            // Spark's defaults: snappy, dictionary encoding, data page v1.
            write(
                    spark,
                    rows,
                    schema,
                    "snappy-dictionary.parquet",
                    Map.of("compression", "snappy"));
            // No compression, no dictionary (PLAIN), one row group per row.
            write(
                    spark,
                    rows,
                    schema,
                    "uncompressed-plain-row-groups.parquet",
                    Map.of(
                            "compression", "none",
                            "parquet.enable.dictionary", "false",
                            "parquet.block.size", "1024",
                            "parquet.page.size.row.check.min", "1",
                            "parquet.page.size.row.check.max", "1"));
            // Data page v2 with the dictionary: RLE_DICTIONARY.
            write(
                    spark,
                    rows,
                    schema,
                    "snappy-v2-dictionary.parquet",
                    Map.of("compression", "snappy", "parquet.writer.version", "v2"));
            // Data page v2, gzip, no dictionary: the delta byte-array encodings.
            write(
                    spark,
                    rows,
                    schema,
                    "gzip-v2-delta.parquet",
                    Map.of(
                            "compression", "gzip",
                            "parquet.enable.dictionary", "false",
                            "parquet.writer.version", "v2"));
        } finally {
            spark.stop();
        }
    }

    private static void write(
            SparkSession spark,
            List<Row> rows,
            StructType schema,
            String name,
            Map<String, String> options)
            throws IOException {
        Path staged = Path.of("target/golden-" + name);
        spark.createDataFrame(rows, schema)
                .coalesce(1)
                .write()
                .mode(SaveMode.Overwrite)
                .options(options)
                .parquet(staged.toString());
        try (Stream<Path> s = Files.list(staged)) {
            Path part =
                    s.filter(p -> p.getFileName().toString().startsWith("part-"))
                            .filter(p -> p.getFileName().toString().endsWith(".parquet"))
                            .findFirst()
                            .orElseThrow();
            Files.copy(part, OUT.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
