package image2music.spark;

import com.google.gson.Gson;
import image2music.audio.dataset.AudioSource;
import image2music.audio.dataset.BuiltFile;
import image2music.audio.dataset.DatasetBuilder;
import image2music.audio.dataset.SpectrogramTileRenderer;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.core.io.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.SparkFiles;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.util.SerializableConfiguration;

/**
 * The executor side: runs the local builder's per-file function ({@link DatasetBuilder#buildFile})
 * on each file of a partition in a local scratch folder, then commits the tiles and a done marker
 * to the output through Hadoop's FileSystem API.
 *
 * <p>Idempotent, so Spark may retry or speculate any task: tiles are staged under {@code
 * _temporary/<run>/<attempt>/} and renamed to their content-determined names only if absent; a
 * file's marker ({@code .build-dataset/done/<sha16>.json}, its {@link BuiltFile} entry) is written
 * last, so a file with a marker and all its tiles is done and any later attempt or rerun skips it —
 * the local builder's journal rule.
 */
final class FileTask implements FlatMapFunction<Iterator<SourceFile>, FileOutcome> {

    /**
     * Job-local property for tests ({@code setLocalProperty(key, "true")}): fail each task's first
     * attempt right after it committed its first tile, as an executor lost mid-task would.
     */
    static final String FAIL_FIRST_ATTEMPT = "spark.image2music.test.failFirstAttempt";

    static final String DONE_DIR = DatasetBuilder.STATE_DIR + "/done";
    static final String TEMP_DIR = "_temporary";

    private static final Gson GSON = new Gson();

    private final JobParams params;
    private final String out;
    private final String runId;
    private final SerializableConfiguration conf;

    FileTask(JobParams params, String out, String runId, SerializableConfiguration conf) {
        this.params = params;
        this.out = out;
        this.runId = runId;
        this.conf = conf;
    }

    @Override
    public Iterator<FileOutcome> call(Iterator<SourceFile> files) throws Exception {
        SpectrogramParams sp = params.spectrogramParams();
        DatasetBuilder builder =
                new DatasetBuilder(params.datasetParams(), new SpectrogramTileRenderer(sp), sp, 1);
        Path outDir = new Path(out);
        FileSystem outFs = HadoopFiles.of(outDir, conf.value());
        TaskContext task = TaskContext.get();
        boolean injectFailure =
                task != null
                        && task.attemptNumber() == 0
                        && "true".equals(task.getLocalProperty(FAIL_FIRST_ATTEMPT));
        Path staging = new Path(outDir, TEMP_DIR + "/" + runId + "/" + taskAttempt(task));
        java.nio.file.Path scratch = Files.createTempDirectory(localDir(), "image2music-");
        List<FileOutcome> outcomes = new ArrayList<>();
        try {
            while (files.hasNext()) {
                SourceFile s = files.next();
                FileOutcome done = resumed(outFs, outDir, s);
                if (done != null) {
                    outcomes.add(done);
                    continue;
                }
                java.nio.file.Path work = Files.createTempDirectory(scratch, s.sha16());
                try {
                    outcomes.add(buildOne(builder, s, work, outFs, outDir, staging, injectFailure));
                } finally {
                    FileTrees.delete(work);
                }
            }
        } finally {
            FileTrees.delete(scratch);
            outFs.delete(staging, true);
        }
        return outcomes.iterator();
    }

    private FileOutcome buildOne(
            DatasetBuilder builder,
            SourceFile s,
            java.nio.file.Path work,
            FileSystem outFs,
            Path outDir,
            Path staging,
            boolean injectFailure)
            throws IOException {
        Path input = new Path(s.uri());
        FileSystem inFs = HadoopFiles.of(input, conf.value());
        java.nio.file.Path local;
        if (inFs instanceof RawLocalFileSystem lfs) {
            local = lfs.pathToFile(input).toPath();
        } else {
            // FFmpeg reads local files: bring a remote one over first.
            local = work.resolve("input" + extension(s.name()));
            try (InputStream in = inFs.open(input)) {
                Files.copy(in, local);
            }
        }
        java.nio.file.Path tiles = Files.createDirectories(work.resolve("tiles"));
        DatasetBuilder.FileResult r =
                builder.buildFile(new AudioSource(local, s.name(), s.sha256(), s.labels()), tiles);
        if (r.failed()) {
            String error = r.error();
            if (!local.toString().equals(input.toUri().getPath())) {
                error = error.replace(local.toString(), s.uri());
            }
            return FileOutcome.failed(s, error);
        }
        BuiltFile entry = r.entry();
        for (String name : entry.tiles()) {
            Path target = new Path(outDir, name);
            if (outFs.exists(target)) {
                continue;
            }
            Path staged = new Path(staging, name);
            outFs.copyFromLocalFile(false, true, new Path(tiles.resolve(name).toUri()), staged);
            HadoopFiles.commit(outFs, staged, target);
            if (injectFailure) {
                throw new IOException("injected failure after committing " + name);
            }
        }
        HadoopFiles.write(
                outFs,
                new Path(outDir, DONE_DIR + "/" + s.sha16() + ".json"),
                GSON.toJson(entry).getBytes(StandardCharsets.UTF_8));
        return FileOutcome.built(entry, false);
    }

    /** The file's entry when a previous run or attempt finished it, else null. */
    private static FileOutcome resumed(FileSystem fs, Path outDir, SourceFile s)
            throws IOException {
        Path marker = new Path(outDir, DONE_DIR + "/" + s.sha16() + ".json");
        if (!fs.exists(marker)) {
            return null;
        }
        BuiltFile entry;
        try (InputStream in = fs.open(marker)) {
            entry =
                    GSON.fromJson(
                            new String(in.readAllBytes(), StandardCharsets.UTF_8), BuiltFile.class);
        }
        if (entry == null || !s.sha256().equals(entry.sha256()) || entry.tiles() == null) {
            return null;
        }
        for (String t : entry.tiles()) {
            if (!fs.exists(new Path(outDir, t))) {
                return null;
            }
        }
        return FileOutcome.built(entry, true);
    }

    private static String taskAttempt(TaskContext task) {
        return task == null
                ? "driver-" + System.nanoTime()
                : "stage" + task.stageId() + "-task" + task.taskAttemptId();
    }

    /**
     * Scratch space on the executor's local disks: Spark's folder for this application's files (in
     * the container's working folder on YARN, under spark.local.dir elsewhere), which Spark removes
     * with the application.
     */
    private static java.nio.file.Path localDir() throws IOException {
        return Files.createDirectories(java.nio.file.Path.of(SparkFiles.getRootDirectory()));
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot > name.lastIndexOf('/') ? name.substring(dot) : "";
    }
}
