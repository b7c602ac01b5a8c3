package image2music.audio.dataset;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import image2music.audio.Audio;
import image2music.audio.io.AudioFiles;
import image2music.audio.io.FfmpegDecoder;
import image2music.core.io.AtomicFiles;
import image2music.core.io.FolderLock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Builds a spectrogram training set (HuggingFace imagefolder: images + {@code metadata.csv}) from
 * labelled audio files: each file is cut into segments, silent segments and short tails are
 * skipped, and each segment becomes one or more tile images captioned with the file's labels.
 *
 * <p>Files are processed in parallel, each independently (a pure function of the file and the
 * parameters). Finished files are journalled, so a run that is stopped resumes where it was; a file
 * that cannot be read is reported and skipped.
 */
public final class DatasetBuilder {

    /** Receives progress; called from worker threads. */
    public interface Listener {
        default void fileDone(AudioSource source, FileResult result) {}
    }

    /** The outcome for one source file: its journal entry, or why it failed. */
    public record FileResult(AudioSource source, boolean resumed, BuiltFile entry, String error) {
        public boolean failed() {
            return error != null;
        }
    }

    /** Totals of one run. */
    public record Summary(
            int files,
            int resumedFiles,
            int failedFiles,
            int segments,
            int silentSegments,
            int shortFiles,
            double tailSeconds,
            int images,
            List<String> failures) {}

    private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().create();

    /** The builder's own files inside the dataset folder (parameters, journal). */
    public static final String STATE_DIR = ".build-dataset";

    private final DatasetParams params;
    private final TileRenderer renderer;
    private final Object renderSettings;
    private final int threads;
    private double streamSeconds = STREAM_SECONDS;

    /**
     * @param renderSettings the renderer's own parameters, recorded with the dataset so a resumed
     *     run cannot mix images made with different settings
     */
    public DatasetBuilder(
            DatasetParams params, TileRenderer renderer, Object renderSettings, int threads) {
        this.params = params;
        this.renderer = renderer;
        this.renderSettings = renderSettings;
        this.threads = Math.max(1, threads);
    }

    /** This builder, streaming sources declared longer than {@code seconds} (tests). */
    DatasetBuilder streamingAbove(double seconds) {
        this.streamSeconds = seconds;
        return this;
    }

    /**
     * Builds (or resumes building) the set in {@code out}, which is locked against a second build
     * meanwhile ({@link FolderLock}).
     *
     * @throws IOException when {@code out} is in use by another build, holds a {@code metadata.csv}
     *     this builder did not write, or was built with other parameters
     */
    public Summary build(List<AudioSource> sources, Path out, Listener listener)
            throws IOException, InterruptedException {
        Files.createDirectories(out);
        try (FolderLock lock = FolderLock.acquire(out)) {
            return buildLocked(sources, out, listener);
        }
    }

    private Summary buildLocked(List<AudioSource> sources, Path out, Listener listener)
            throws IOException, InterruptedException {
        Path paramsFile = out.resolve(STATE_DIR).resolve("params.json");
        Path metadata = out.resolve(MetadataCsv.FILE_NAME);
        if (!Files.exists(paramsFile) && Files.exists(metadata, LinkOption.NOFOLLOW_LINKS)) {
            // The state is written before anything else, so this table is not ours to replace.
            throw new IOException(
                    metadata
                            + ": not written by build-dataset (no "
                            + STATE_DIR
                            + "/ beside it); refusing to replace it: use another --out folder");
        }
        checkParams(paramsFile);
        List<FileResult> results = new ArrayList<>();
        try (BuildJournal journal =
                new BuildJournal(out.resolve(STATE_DIR).resolve("journal.jsonl"))) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<FileResult>> futures = new ArrayList<>();
                for (AudioSource s : sources) {
                    futures.add(
                            pool.submit(
                                    () -> {
                                        FileResult r = process(s, out, journal);
                                        listener.fileDone(s, r);
                                        return r;
                                    }));
                }
                for (Future<FileResult> f : futures) {
                    results.add(f.get());
                }
            } catch (ExecutionException e) {
                throw new IOException(
                        "dataset build failed: " + e.getCause().getMessage(), e.getCause());
            } finally {
                pool.shutdownNow();
            }
            writeMetadata(out, journal.entries());
        }
        return summarise(results);
    }

    private FileResult process(AudioSource s, Path out, BuildJournal journal) throws IOException {
        BuiltFile done = journal.get(s.sha256());
        if (done != null && done.tiles().stream().allMatch(t -> Files.exists(out.resolve(t)))) {
            return new FileResult(s, true, done, null);
        }
        FileResult r = buildFile(s, out);
        if (!r.failed()) {
            journal.append(r.entry());
        }
        return r;
    }

    /**
     * The per-file work, a function of the file and the parameters alone: cuts {@code s} into
     * segments and renders each loud segment's tiles into {@code out} (a tile already there is
     * kept), journalling nothing. Other engines (the Spark job) call this very method, so their
     * output is this builder's.
     *
     * @return the file's entry, or, when the file cannot be read, the reason naming the file
     */
    public FileResult buildFile(AudioSource s, Path out) throws IOException {
        int segLen = params.segmentSamples();
        Segments built = new Segments(s, out);
        try {
            if (isLong(s.file(), streamSeconds)) {
                // One segment in memory at a time, resampled by FFmpeg as the file streams by.
                FfmpegDecoder.stream(
                        s.file(),
                        params.sampleRate(),
                        segLen,
                        block -> {
                            try {
                                built.add(block.toMono());
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        });
            } else {
                Audio audio = AudioFiles.readMono(s.file(), params.sampleRate());
                for (int at = 0; at < audio.frames(); at += segLen) {
                    built.add(audio.slice(at, Math.min(segLen, audio.frames() - at)));
                }
            }
        } catch (UncheckedIOException e) {
            if (e.getCause().getMessage() != null
                    && e.getCause().getMessage().equals("interrupted")) {
                throw e.getCause();
            }
            return failed(s, e.getCause());
        } catch (IOException | RuntimeException e) {
            if ("interrupted".equals(e.getMessage())) {
                throw e;
            }
            return failed(s, e);
        }
        BuiltFile entry =
                new BuiltFile(
                        s.sha256(),
                        s.name(),
                        s.labels(),
                        built.segments,
                        built.silent,
                        built.tailFrames / (double) params.sampleRate(),
                        built.tiles);
        return new FileResult(s, false, entry, null);
    }

    /** Sources declared longer than this are streamed a segment at a time. */
    static final double STREAM_SECONDS = 600;

    /**
     * WAV files up to this size are read whole (the native reader's verdict); larger ones may
     * stream.
     */
    private static final long WHOLE_WAV_BYTES = 64L << 20;

    /** Whether {@code file} is declared longer than {@code seconds}, so streamed. */
    private static boolean isLong(Path file, double seconds) throws IOException {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".wav") && Files.size(file) <= WHOLE_WAV_BYTES) {
            return false;
        }
        try {
            double d = FfmpegDecoder.probe(file).durationSeconds();
            return Double.isNaN(d) || d > seconds;
        } catch (IOException e) {
            return false; // the whole-file read reports what is wrong
        }
    }

    private static FileResult failed(AudioSource s, Throwable e) {
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        return new FileResult(
                s, false, null, msg.startsWith(s.file().toString()) ? msg : s.file() + ": " + msg);
    }

    /** Renders a source's segments as they come: full ones to tiles, a short last one is a tail. */
    private final class Segments {
        private final AudioSource source;
        private final Path out;
        private final List<Tiling.Tile> plan = Tiling.tiles(params);
        final List<String> tiles = new ArrayList<>();
        int segments;
        int silent;
        long tailFrames;

        Segments(AudioSource source, Path out) {
            this.source = source;
            this.out = out;
        }

        void add(Audio segment) throws IOException {
            if (Thread.currentThread().isInterrupted()) {
                throw new IOException("interrupted");
            }
            if (segment.frames() < params.segmentSamples()) {
                tailFrames += segment.frames();
                return;
            }
            int seg = segments++;
            if (segment.rmsDbfs() < params.silenceDbfs()) {
                silent++;
                return;
            }
            for (int t = 0; t < plan.size(); t++) {
                String name = String.format("%s_%03d_%02d.png", source.sha16(), seg, t);
                Path file = out.resolve(name);
                if (!Files.exists(file)) {
                    Tiling.Tile tile = plan.get(t);
                    renderer.render(segment.slice(tile.start(), tile.samples()), file);
                }
                tiles.add(name);
            }
        }
    }

    /**
     * The record of this builder's parameters kept with a dataset ({@code
     * .build-dataset/params.json}), so a resumed run cannot mix images made with other settings.
     */
    public String paramsRecord() {
        return PRETTY.toJson(Map.of("dataset", params, "spectrogram", renderSettings));
    }

    /** Whether a dataset whose params.json holds {@code previous} was built with these params. */
    public boolean sameParams(String previous) {
        return withMelBinsDefault(PRETTY.toJsonTree(PRETTY.fromJson(previous, Object.class)))
                .equals(PRETTY.toJsonTree(PRETTY.fromJson(paramsRecord(), Object.class)));
    }

    private void checkParams(Path file) throws IOException {
        if (Files.exists(file)) {
            if (!sameParams(Files.readString(file, StandardCharsets.UTF_8))) {
                throw new IOException(
                        file.getParent().getParent()
                                + ": was built with other parameters (see "
                                + file
                                + "); use another --out folder");
            }
            return;
        }
        AtomicFiles.write(file, paramsRecord().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Datasets built before {@code --mel-bins} existed recorded no {@code melBins}; they were all
     * made at 512 bins, so such a record reads as 512 and those builds still resume.
     */
    private static JsonElement withMelBinsDefault(JsonElement saved) {
        if (saved.isJsonObject()
                && saved.getAsJsonObject().get("dataset") instanceof JsonObject dataset
                && !dataset.has("melBins")) {
            // Gson reads numbers as doubles; the current record goes through the same round trip.
            dataset.addProperty("melBins", (double) DatasetParams.DEFAULT_MEL_BINS);
        }
        return saved;
    }

    private static void writeMetadata(Path out, List<BuiltFile> entries) throws IOException {
        MetadataCsv.write(out.resolve(MetadataCsv.FILE_NAME), metadataRows(entries));
    }

    /** The metadata.csv rows of these files: one per tile, captioned, sorted by file name. */
    public static List<MetadataCsv.Row> metadataRows(Collection<BuiltFile> entries) {
        List<MetadataCsv.Row> rows = new ArrayList<>();
        for (BuiltFile e : entries) {
            String caption = Captions.fromLabels(e.labels());
            for (String t : e.tiles()) {
                rows.add(new MetadataCsv.Row(t, caption));
            }
        }
        rows.sort(Comparator.comparing(MetadataCsv.Row::fileName));
        return rows;
    }

    /**
     * The counts of a build from its per-file results (their sources are not consulted, so an
     * engine that reports results without them, the Spark job, sums them the same way).
     */
    public static Summary summarise(List<FileResult> results) {
        int resumed = 0, failed = 0, segments = 0, silent = 0, shortFiles = 0, images = 0;
        double tail = 0;
        List<String> failures = new ArrayList<>();
        for (FileResult r : results) {
            if (r.failed()) {
                failed++;
                failures.add(r.error());
                continue;
            }
            if (r.resumed()) {
                resumed++;
            }
            BuiltFile e = r.entry();
            segments += e.segments();
            silent += e.silentSegments();
            if (e.segments() == 0) {
                shortFiles++;
            }
            tail += e.tailSeconds();
            images += e.tiles().size();
        }
        return new Summary(
                results.size(),
                resumed,
                failed,
                segments,
                silent,
                shortFiles,
                tail,
                images,
                failures);
    }
}
