package image2music.spark;

import image2music.audio.dataset.DatasetBuilder;
import image2music.audio.dataset.MetadataCsv;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import scala.Tuple2;

/**
 * Packs a built dataset folder into the Parquet layout the HuggingFace {@code datasets} library
 * loads directly: {@code data/train-NNNNN-of-NNNNN.parquet} with columns {@code image}
 * (struct&lt;bytes: binary, path: string&gt;, how {@code datasets} stores its Image feature) and
 * {@code text}, plus a {@code README.md} dataset card whose YAML declares {@code image} an Image
 * feature and points the train split at those files. The PNG tiles stay: they are what a rerun
 * resumes from.
 */
final class ParquetExport {

    static final String DATA_DIR = "data";
    static final String CARD = "README.md";

    /** Rows per Parquet file: ~100-200 KB tiles make files of a few hundred MB, as HF shards. */
    static final int ROWS_PER_FILE = 2000;

    private ParquetExport() {}

    static void write(
            SparkSession spark,
            FileSystem fs,
            Path outDir,
            List<MetadataCsv.Row> rows,
            SerializableConfiguration conf)
            throws IOException {
        StructType image =
                new StructType()
                        .add("bytes", DataTypes.BinaryType, true)
                        .add("path", DataTypes.StringType, true);
        StructType schema =
                new StructType().add("image", image, true).add("text", DataTypes.StringType, true);
        List<Tuple2<String, String>> captions = new ArrayList<>(rows.size());
        for (MetadataCsv.Row r : rows) {
            captions.add(new Tuple2<>(r.fileName(), r.text()));
        }
        int files = Math.max(1, (rows.size() + ROWS_PER_FILE - 1) / ROWS_PER_FILE);
        // The rows come sorted by file name; contiguous slices keep that order across files.
        JavaRDD<Row> table =
                JavaSparkContext.fromSparkContext(spark.sparkContext())
                        .parallelize(captions, files)
                        .mapPartitions(new ReadTiles(outDir.toString(), conf));
        Dataset<Row> frame = spark.createDataFrame(table, schema);
        Path staged = new Path(outDir, DatasetBuilder.STATE_DIR + "/parquet");
        frame.write().mode(SaveMode.Overwrite).parquet(staged.toString());

        // Spark names its files part-<n>-<uuid>.parquet; datasets expects train-<i>-of-<n>.
        FileStatus[] parts =
                fs.listStatus(
                        staged,
                        p -> p.getName().startsWith("part-") && p.getName().endsWith(".parquet"));
        Arrays.sort(parts);
        Path data = new Path(outDir, DATA_DIR);
        fs.delete(data, true);
        fs.mkdirs(data);
        for (int i = 0; i < parts.length; i++) {
            String name = String.format("train-%05d-of-%05d.parquet", i, parts.length);
            if (!fs.rename(parts[i].getPath(), new Path(data, name))) {
                throw new IOException(new Path(data, name) + ": could not be written");
            }
        }
        fs.delete(staged, true);
        HadoopFiles.write(fs, new Path(outDir, CARD), card().getBytes(StandardCharsets.UTF_8));
    }

    /** Executor side: each tile's bytes with its name and caption. */
    private record ReadTiles(String outDir, SerializableConfiguration conf)
            implements FlatMapFunction<Iterator<Tuple2<String, String>>, Row> {
        @Override
        public Iterator<Row> call(Iterator<Tuple2<String, String>> captions) throws IOException {
            Path dir = new Path(outDir);
            FileSystem fs = HadoopFiles.of(dir, conf.value());
            List<Row> out = new ArrayList<>();
            while (captions.hasNext()) {
                Tuple2<String, String> c = captions.next();
                byte[] bytes;
                try (InputStream in = fs.open(new Path(dir, c._1()))) {
                    bytes = in.readAllBytes();
                }
                out.add(RowFactory.create(RowFactory.create(bytes, c._1()), c._2()));
            }
            return out.iterator();
        }
    }

    private static String card() {
        return """
                ---
                configs:
                - config_name: default
                  data_files:
                  - split: train
                    path: data/train-*
                dataset_info:
                  features:
                  - name: image
                    dtype: image
                  - name: text
                    dtype: string
                ---
                # Spectrogram training set

                Riffusion-format mel spectrogram tiles (PNG, parameters in each image's EXIF) with
                captions, built by image2music `build-dataset --engine spark --format parquet`.
                `data/` holds the Parquet files (`image` = {bytes, path}, `text`); the PNG files
                and `metadata.csv` beside it are the same dataset as an imagefolder.
                """;
    }
}
