package image2music.spark;

import image2music.audio.dataset.DatasetBuilder;
import image2music.audio.dataset.DatasetParams;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The Spark job's command line: the entry point of {@code spark-submit --class
 * image2music.spark.SparkDatasetJob image2music-spark.jar ...} and, through {@link #run}, of {@code
 * image2music build-dataset --engine spark}. Options are {@code build-dataset}'s, with paths as
 * Hadoop URIs. Exit codes: 0 done, 2 usage, 1 any failure (one line on stderr; stack trace with
 * {@code --verbose}).
 */
@Command(
        name = "build-dataset-spark",
        mixinStandardHelpOptions = true,
        description =
                "Cut labelled audio into captioned spectrogram images (HuggingFace imagefolder:"
                        + " *.png + metadata.csv) on Apache Spark. Resumable.")
public final class SparkDatasetJob implements Callable<Integer> {

    @Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--audio",
            required = true,
            paramLabel = "URI",
            description =
                    "Audio folder (local path, hdfs://, s3a://): <label>/<files>, or a scraped"
                            + " folder with manifest.jsonl.")
    String audio;

    @Option(names = "--out", required = true, paramLabel = "URI", description = "Dataset folder.")
    String out;

    @Option(
            names = "--segment-seconds",
            defaultValue = "15",
            paramLabel = "S",
            description = "Segment length in seconds (default: ${DEFAULT-VALUE}).")
    double segmentSeconds;

    @Option(
            names = "--tile-width",
            defaultValue = "512",
            paramLabel = "PX",
            description =
                    "Tile width in pixels; 0 keeps whole segments (default: ${DEFAULT-VALUE}).")
    int tileWidth;

    @Option(
            names = "--mel-bins",
            defaultValue = "512",
            paramLabel = "N",
            description =
                    "Mel bins (image rows) of every tile, 16 to 1024 (default: ${DEFAULT-VALUE}).")
    int melBins;

    @Option(
            names = "--step-ms",
            defaultValue = "10",
            paramLabel = "MS",
            description = "Milliseconds of audio per image column (default: ${DEFAULT-VALUE}).")
    int stepMs;

    @Option(
            names = "--silence-dbfs",
            defaultValue = "-60",
            paramLabel = "DB",
            description =
                    "Segments quieter than this RMS level are skipped (default: ${DEFAULT-VALUE}).")
    double silenceDbfs;

    @Option(
            names = "--master",
            paramLabel = "URL",
            description =
                    "Spark master, e.g. local[*] or spark://host:7077 (default: spark-submit's,"
                            + " else local[*]).")
    String master;

    @Option(
            names = "--format",
            defaultValue = "imagefolder",
            paramLabel = "F",
            description =
                    "imagefolder (PNG + metadata.csv) or parquet (also data/train-*.parquet and a"
                            + " dataset card, as HF datasets loads them) (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--verbose", description = "Print stack traces on errors.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        DatasetParams params;
        try {
            params = DatasetParams.of(segmentSeconds, tileWidth, silenceDbfs, stepMs, melBins);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        SparkDatasetBuilder.Format layout =
                switch (format) {
                    case "imagefolder" -> SparkDatasetBuilder.Format.IMAGEFOLDER;
                    case "parquet" -> SparkDatasetBuilder.Format.PARQUET;
                    default ->
                            throw new CommandLine.ParameterException(
                                    spec.commandLine(),
                                    "--format must be imagefolder or parquet: " + format);
                };
        SparkSession spark = session(master);
        DatasetBuilder.Summary s;
        try {
            s = new SparkDatasetBuilder(spark, params, layout).build(audio, out);
        } finally {
            spark.stop();
        }
        spec.commandLine()
                .getOut()
                .printf(
                        "%d files (%d already done, %d failed, %d shorter than a segment), %d"
                                + " segments (%d silent skipped), %.1f s of tails skipped, %d"
                                + " images in %s%n",
                        s.files(),
                        s.resumedFiles(),
                        s.failedFiles(),
                        s.shortFiles(),
                        s.segments(),
                        s.silentSegments(),
                        s.tailSeconds(),
                        s.images(),
                        out);
        PrintWriter err = spec.commandLine().getErr();
        for (String f : s.failures()) {
            err.println("error: " + f);
        }
        if (s.failedFiles() > 0) {
            err.println(
                    "error: failed files are listed in " + out + "/" + SparkDatasetBuilder.REJECTS);
        }
        return s.failedFiles() == 0 ? 0 : 1;
    }

    /** The session: {@code master} if given, else spark-submit's, else every local core. */
    static SparkSession session(String master) {
        SparkSession.Builder b = SparkSession.builder().appName("image2music build-dataset");
        String effective = master != null ? master : new SparkConf().get("spark.master", null);
        if (effective == null) {
            effective = "local[*]";
        }
        b.master(effective);
        if (effective.startsWith("local")) {
            // An embedded run needs no web UI (nor its port).
            b.config("spark.ui.enabled", false);
        }
        return b.getOrCreate();
    }

    /**
     * Runs the command line with {@code args}, writing to {@code out} and {@code err}; returns the
     * exit code. Typed with JDK classes only, so the app can call it reflectively without Spark on
     * its own class path.
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new SparkDatasetJob());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(
                (ex, line, parsed) -> {
                    String m = ex.getMessage();
                    line.getErr()
                            .println(
                                    "error: "
                                            + (m == null || m.isBlank()
                                                    ? ex.toString()
                                                    : m.replace('\n', ' ')));
                    if (parsed.hasMatchedOption("--verbose")) {
                        ex.printStackTrace(line.getErr());
                    }
                    return 1;
                });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    public static void main(String[] args) {
        System.exit(
                run(
                        args,
                        new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                        new PrintWriter(System.err, true, StandardCharsets.UTF_8)));
    }
}
