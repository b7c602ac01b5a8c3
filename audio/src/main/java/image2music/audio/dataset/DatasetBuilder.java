package image2music.audio.dataset;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import image2music.audio.Audio;
import image2music.audio.io.AudioFiles;
import image2music.core.io.AtomicFiles;
import image2music.core.io.FolderLock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
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
    static final String STATE_DIR = ".build-dataset";

    private final DatasetParams params;
    private final TileRenderer renderer;
    private final Object renderSettings;
    private final int threads;

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
        Audio audio;
        try {
            audio = AudioFiles.readMono(s.file(), params.sampleRate());
        } catch (IOException | RuntimeException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            return new FileResult(
                    s,
                    false,
                    null,
                    msg.startsWith(s.file().toString()) ? msg : s.file() + ": " + msg);
        }
        int segLen = params.segmentSamples();
        int segments = audio.frames() / segLen;
        int silent = 0;
        List<String> tiles = new ArrayList<>();
        List<Tiling.Tile> plan = Tiling.tiles(params);
        for (int seg = 0; seg < segments; seg++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new IOException("interrupted");
            }
            Audio segment = audio.slice(seg * segLen, segLen);
            if (segment.rmsDbfs() < params.silenceDbfs()) {
                silent++;
                continue;
            }
            for (int t = 0; t < plan.size(); t++) {
                String name = String.format("%s_%03d_%02d.png", s.sha16(), seg, t);
                Path file = out.resolve(name);
                if (!Files.exists(file)) {
                    Tiling.Tile tile = plan.get(t);
                    renderer.render(segment.slice(tile.start(), tile.samples()), file);
                }
                tiles.add(name);
            }
        }
        double tail = (audio.frames() - (long) segments * segLen) / (double) params.sampleRate();
        BuiltFile entry =
                new BuiltFile(s.sha256(), s.name(), s.labels(), segments, silent, tail, tiles);
        journal.append(entry);
        return new FileResult(s, false, entry, null);
    }

    private void checkParams(Path file) throws IOException {
        String current = PRETTY.toJson(Map.of("dataset", params, "spectrogram", renderSettings));
        if (Files.exists(file)) {
            String previous = Files.readString(file, StandardCharsets.UTF_8);
            if (!withMelBinsDefault(PRETTY.toJsonTree(PRETTY.fromJson(previous, Object.class)))
                    .equals(PRETTY.toJsonTree(PRETTY.fromJson(current, Object.class)))) {
                throw new IOException(
                        file.getParent().getParent()
                                + ": was built with other parameters (see "
                                + file
                                + "); use another --out folder");
            }
            return;
        }
        AtomicFiles.write(file, current.getBytes(StandardCharsets.UTF_8));
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
        List<MetadataCsv.Row> rows = new ArrayList<>();
        for (BuiltFile e : entries) {
            String caption = Captions.fromLabels(e.labels());
            for (String t : e.tiles()) {
                rows.add(new MetadataCsv.Row(t, caption));
            }
        }
        rows.sort(Comparator.comparing(MetadataCsv.Row::fileName));
        MetadataCsv.write(out.resolve("metadata.csv"), rows);
    }

    private static Summary summarise(List<FileResult> results) {
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
