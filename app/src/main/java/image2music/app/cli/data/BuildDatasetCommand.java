package image2music.app.cli.data;

import image2music.app.cli.ProgressBars;
import image2music.audio.dataset.AudioSource;
import image2music.audio.dataset.AudioSources;
import image2music.audio.dataset.DatasetBuilder;
import image2music.audio.dataset.DatasetParams;
import image2music.audio.dataset.SpectrogramTileRenderer;
import image2music.audio.spectrogram.SpectrogramParams;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code build-dataset}: labelled audio to a captioned spectrogram training set. */
@Command(
        name = "build-dataset",
        mixinStandardHelpOptions = true,
        header = "Labelled audio to a captioned spectrogram training set.",
        description =
                "Cut labelled audio into captioned spectrogram images (HuggingFace imagefolder:"
                        + " *.png + metadata.csv). Resumable.")
public final class BuildDatasetCommand implements Callable<Integer> {

    @Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--audio",
            required = true,
            paramLabel = "DIR",
            description = "Audio folder: <label>/<files>, or a scraped folder with manifest.jsonl.")
    Path audio;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Dataset folder.")
    Path out;

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
                    "Mel bins (image rows) of every tile, 16 to 1024; the images' EXIF records it"
                            + " (default: ${DEFAULT-VALUE}).")
    int melBins;

    @Option(
            names = "--step-ms",
            defaultValue = "10",
            paramLabel = "MS",
            description =
                    "Milliseconds of audio per image column (Riffusion's 10); up to the 100 ms"
                            + " window. 20 halves a model's work per second of music at the cost of"
                            + " onset detail (default: ${DEFAULT-VALUE}).")
    int stepMs;

    @Option(
            names = "--silence-dbfs",
            defaultValue = "-60",
            paramLabel = "DB",
            description =
                    "Segments quieter than this RMS level are skipped (default: ${DEFAULT-VALUE}).")
    double silenceDbfs;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "Worker threads of the local engine (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    /** Where the per-file work runs. */
    enum Engine {
        local,
        spark
    }

    @Option(
            names = "--engine",
            defaultValue = "local",
            paramLabel = "E",
            description =
                    "local (threads in this JVM) or spark (an Apache Spark job; needs the spark"
                            + " module built, see README) (default: ${DEFAULT-VALUE}).")
    Engine engine;

    @Option(
            names = "--master",
            paramLabel = "URL",
            description = "Spark master with --engine spark, e.g. local[*] (default: local[*]).")
    String master;

    /** How the dataset is written. */
    enum Format {
        imagefolder,
        parquet
    }

    @Option(
            names = "--format",
            defaultValue = "imagefolder",
            paramLabel = "F",
            description =
                    "imagefolder (PNG + metadata.csv), or with --engine spark also parquet"
                            + " (data/train-*.parquet + dataset card) (default: ${DEFAULT-VALUE}).")
    Format format;

    /** The spark module's entry point, looked up only for --engine spark. */
    static final String SPARK_JOB = "image2music.spark.SparkDatasetJob";

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        if (engine != Engine.spark && master != null) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--master needs --engine spark");
        }
        if (engine != Engine.spark && format != Format.imagefolder) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--format " + format + " needs --engine spark");
        }
        DatasetParams params;
        try {
            params = DatasetParams.of(segmentSeconds, tileWidth, silenceDbfs, stepMs, melBins);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (engine == Engine.spark) {
            return runOnSpark();
        }
        SpectrogramParams sp = params.spectrogramParams(SpectrogramParams.defaults());
        List<AudioSource> sources = AudioSources.scan(audio);
        if (sources.isEmpty()) {
            throw new IllegalArgumentException(audio + ": no labelled audio files found");
        }
        DatasetBuilder builder =
                new DatasetBuilder(params, new SpectrogramTileRenderer(sp), sp, threads);
        DatasetBuilder.Summary s;
        try (ProgressBar bar =
                noProgress
                        ? null
                        : ProgressBars.builder("build-dataset", sources.size())
                                .setUnit(" files", 1)
                                .build()) {
            s =
                    builder.build(
                            sources,
                            out,
                            new DatasetBuilder.Listener() {
                                @Override
                                public void fileDone(
                                        AudioSource source, DatasetBuilder.FileResult r) {
                                    if (bar == null) {
                                        return;
                                    }
                                    bar.step();
                                    if (r.failed()) {
                                        bar.setExtraMessage("failed: " + source.name());
                                    }
                                }
                            });
        }
        var o = spec.commandLine().getOut();
        o.printf(
                "%d files (%d already done, %d failed, %d shorter than a segment), %d segments"
                        + " (%d silent skipped), %.1f s of tails skipped, %d images in %s%n",
                s.files(),
                s.resumedFiles(),
                s.failedFiles(),
                s.shortFiles(),
                s.segments(),
                s.silentSegments(),
                s.tailSeconds(),
                s.images(),
                out);
        var err = spec.commandLine().getErr();
        for (String f : s.failures()) {
            err.println("error: " + f);
        }
        return s.failedFiles() == 0 ? 0 : 1;
    }

    /**
     * Hands the same options to the spark module's job. Spark (hundreds of MB of jars) stays off
     * the app's class path: ./image2music adds the spark module and Spark's jars only for {@code
     * --engine spark}, and this looks the job up by name.
     */
    private int runOnSpark() throws Exception {
        Method run;
        try {
            run =
                    Class.forName(SPARK_JOB)
                            .getMethod("run", String[].class, PrintWriter.class, PrintWriter.class);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(
                    "the Spark engine is not on the class path: build it with 'mvn -B -DskipTests"
                            + " package' (./image2music then adds spark/target and Spark's jars),"
                            + " or run spark/target/image2music-spark.jar with spark-submit");
        }
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--audio", audio.toString(),
                                "--out", out.toString(),
                                "--segment-seconds", Double.toString(segmentSeconds),
                                "--tile-width", Integer.toString(tileWidth),
                                "--mel-bins", Integer.toString(melBins),
                                "--step-ms", Integer.toString(stepMs),
                                "--silence-dbfs", Double.toString(silenceDbfs),
                                "--format", format.name()));
        if (master != null) {
            args.addAll(List.of("--master", master));
        }
        if (spec.commandLine().getParseResult().hasMatchedOption("--verbose")) {
            args.add("--verbose");
        }
        try {
            return (Integer)
                    run.invoke(
                            null,
                            args.toArray(String[]::new),
                            spec.commandLine().getOut(),
                            spec.commandLine().getErr());
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }
}
