package image2music.spark;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import image2music.audio.dataset.BuiltFile;
import image2music.audio.dataset.DatasetBuilder;
import image2music.audio.dataset.DatasetParams;
import image2music.audio.dataset.MetadataCsv;
import image2music.audio.spectrogram.SpectrogramParams;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;

/**
 * {@code build-dataset} as a Spark job: the same inputs (a labelled folder tree or a {@code
 * manifest.jsonl}), parameters and outputs (PNG tiles with EXIF, {@code metadata.csv}) as {@link
 * DatasetBuilder}, whose per-file function the executors run. Paths are Hadoop paths ({@code
 * file:}, {@code hdfs://}, {@code s3a://} with its connector on the class path).
 *
 * <p>A file that cannot be read fails its row, not the job: it is listed with the reason in {@code
 * .build-dataset/rejects.jsonl}. A rerun skips files already done (see {@link FileTask}).
 */
public final class SparkDatasetBuilder {

    /** The failed files of the last run, one JSON object per line: file, sha256, reason. */
    public static final String REJECTS = DatasetBuilder.STATE_DIR + "/rejects.jsonl";

    private static final Gson GSON = new Gson();

    /** What the job writes: the imagefolder alone, or also its Parquet form (see README). */
    public enum Format {
        IMAGEFOLDER,
        PARQUET
    }

    private final SparkSession spark;
    private final DatasetParams params;
    private final Format format;

    public SparkDatasetBuilder(SparkSession spark, DatasetParams params) {
        this(spark, params, Format.IMAGEFOLDER);
    }

    public SparkDatasetBuilder(SparkSession spark, DatasetParams params, Format format) {
        this.spark = spark;
        this.params = params;
        this.format = format;
    }

    /**
     * Builds (or resumes) the dataset of {@code audio} in {@code out}.
     *
     * @throws IllegalArgumentException when {@code audio} holds no labelled audio file
     * @throws IOException when the input cannot be listed or the output written
     */
    public DatasetBuilder.Summary build(String audio, String out) throws IOException {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Path outDir = new Path(out);
        FileSystem fs = HadoopFiles.of(outDir, jsc.hadoopConfiguration());
        outDir = fs.makeQualified(outDir);
        fs.mkdirs(outDir);
        checkParams(fs, new Path(outDir, DatasetBuilder.STATE_DIR + "/params.json"));

        List<SourceFile> sources = SourceListing.scan(jsc, new Path(audio));
        if (sources.isEmpty()) {
            throw new IllegalArgumentException(audio + ": no labelled audio files found");
        }
        String runId = UUID.randomUUID().toString();
        SerializableConfiguration conf = new SerializableConfiguration(jsc.hadoopConfiguration());
        // Several partitions per core balance long and short files; a retried partition redoes
        // only its files without a done marker.
        int slices = Math.min(sources.size(), 4 * jsc.defaultParallelism());
        List<FileOutcome> outcomes;
        try {
            outcomes =
                    jsc.parallelize(sources, slices)
                            .mapPartitions(
                                    new FileTask(
                                            JobParams.of(params), outDir.toString(), runId, conf))
                            .collect();
        } finally {
            Path temp = new Path(outDir, FileTask.TEMP_DIR);
            fs.delete(new Path(temp, runId), true);
            if (fs.exists(temp) && fs.listStatus(temp).length == 0) {
                fs.delete(temp, false);
            }
        }
        List<MetadataCsv.Row> rows = writeMetadata(jsc, fs, outDir);
        if (format == Format.PARQUET) {
            ParquetExport.write(spark, fs, outDir, rows, conf);
        }
        writeRejects(fs, outDir, outcomes);
        return summarise(outcomes);
    }

    private void checkParams(FileSystem fs, Path file) throws IOException {
        DatasetBuilder local = localBuilder();
        if (fs.exists(file)) {
            String previous;
            try (InputStream in = fs.open(file)) {
                previous = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!local.sameParams(previous)) {
                throw new IOException(
                        file.getParent().getParent()
                                + ": was built with other parameters (see "
                                + file
                                + "); use another --out folder");
            }
            return;
        }
        HadoopFiles.write(fs, file, local.paramsRecord().getBytes(StandardCharsets.UTF_8));
    }

    /** A builder for the parameter record only; it renders nothing on the driver. */
    private DatasetBuilder localBuilder() {
        SpectrogramParams sp = params.spectrogramParams(SpectrogramParams.defaults());
        return new DatasetBuilder(
                params,
                (tile, file) -> {
                    throw new IllegalStateException("the driver renders no tiles");
                },
                sp,
                1);
    }

    /**
     * metadata.csv over every file done in this folder, this run's and earlier runs', as the local
     * builder lists every journalled file. The markers are read on the executors.
     */
    private static List<MetadataCsv.Row> writeMetadata(
            JavaSparkContext jsc, FileSystem fs, Path outDir) throws IOException {
        Path done = new Path(outDir, FileTask.DONE_DIR);
        List<BuiltFile> entries = new ArrayList<>();
        // A glob that matches nothing is an error to wholeTextFiles: look first.
        if (fs.exists(done) && fs.listStatus(done, p -> p.getName().endsWith(".json")).length > 0) {
            for (String json :
                    jsc.wholeTextFiles(new Path(done, "*.json").toString()).values().collect()) {
                entries.add(GSON.fromJson(json, BuiltFile.class));
            }
        }
        List<MetadataCsv.Row> rows = DatasetBuilder.metadataRows(entries);
        HadoopFiles.write(fs, new Path(outDir, MetadataCsv.FILE_NAME), MetadataCsv.encode(rows));
        return rows;
    }

    private static void writeRejects(FileSystem fs, Path outDir, List<FileOutcome> outcomes)
            throws IOException {
        Path file = new Path(outDir, REJECTS);
        StringBuilder sb = new StringBuilder();
        for (FileOutcome o : outcomes) {
            if (o.failed()) {
                JsonObject line = new JsonObject();
                line.addProperty("file", o.name());
                line.addProperty("sha256", o.sha256());
                line.addProperty("reason", o.error());
                sb.append(GSON.toJson(line)).append('\n');
            }
        }
        if (sb.isEmpty()) {
            fs.delete(file, false);
        } else {
            HadoopFiles.write(fs, file, sb.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static DatasetBuilder.Summary summarise(List<FileOutcome> outcomes) {
        List<DatasetBuilder.FileResult> results = new ArrayList<>();
        for (FileOutcome o : outcomes) {
            results.add(new DatasetBuilder.FileResult(null, o.resumed(), o.entry(), o.error()));
        }
        return DatasetBuilder.summarise(results);
    }
}
