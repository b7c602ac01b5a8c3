package image2music.pipeline.evaluate;

import image2music.audio.spectrogram.SpectrogramFormatFile;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.core.io.AtomicFiles;
import image2music.core.json.Json;
import image2music.core.manifest.LabelFolders;
import image2music.core.manifest.MediaLayout;
import image2music.models.diffusion.training.SpectrogramImageFolder;
import image2music.models.train.Checkpoints;
import image2music.models.train.TrainingArguments;
import image2music.models.vit.RgbImage;
import image2music.models.vit.RgbImages;
import image2music.models.vit.TaggerTrainer;
import image2music.models.vit.TaggerTrainingConfig;
import image2music.models.vit.ViTTagger;
import image2music.models.vit.data.ImageTransforms;
import image2music.pipeline.DiffusionSettings;
import image2music.pipeline.GenerationResult;
import image2music.pipeline.ImageToMusicRequest;
import image2music.pipeline.ImageToMusicService;
import image2music.pipeline.MusicSettings;
import image2music.pipeline.NativeWidth;
import image2music.pipeline.TextToMusicRequest;
import image2music.pipeline.TextToMusicService;
import image2music.pipeline.progress.Cancellation;
import image2music.pipeline.progress.ProgressListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Says with numbers how well a spectrogram generator makes music of the mood it is asked for.
 *
 * <p>A mood classifier (a small ViT over spectrogram windows, trained here on the dataset unless
 * one is given) listens to the generator's clips, one batch per mood caption: the share it hears as
 * the asked-for mood is the classifier accuracy score (CAS), bounded by the classifier's own
 * accuracy on real pieces it never saw. In the classifier's embedding space the generated clips are
 * compared with those held-out real windows: a Fréchet distance (FAD-style, against the distance
 * between two halves of the real windows), their spread (diversity) and, in pixel space, how near
 * each comes to a training window (memorisation). Pictures' music, when given, is classified too
 * (end-to-end agreement).
 *
 * <p>Real data is split by piece, never by window: build-dataset names a tile {@code
 * <source>_<segment>_<tile>.png}, and every tile of one source lands on one side.
 */
public final class EvaluationService {

    /** Share of each mood's pieces held out from the classifier. */
    static final double HELD_OUT_SHARE = 0.25;

    private static final String CLASSIFIER_DONE = ".evaluation-classifier.json";

    private final Consumer<String> log;
    private final Cancellation cancellation;

    /**
     * @param log told what each stage did, a line at a time
     * @param cancellation checked between generated clips' denoising steps
     */
    public EvaluationService(Consumer<String> log, Cancellation cancellation) {
        this.log = log;
        this.cancellation = cancellation;
    }

    /**
     * Runs the evaluation.
     *
     * @throws IOException naming the file or folder that cannot be used
     */
    public Evaluation run(EvaluationRequest r) throws IOException {
        SpectrogramImageFolder folder = SpectrogramImageFolder.open(r.data());
        int window = NativeWidth.of(r.generator());
        int clip = clipWidth(folder, window);
        Split split = split(folder, clip, r.seed());
        log.accept(
                String.format(
                        Locale.ROOT,
                        "%d moods; %d training tiles and %d held-out real clips of %d px"
                                + " (%d windows of %d px each)",
                        split.classes.size(),
                        split.train.size(),
                        split.heldOut.size(),
                        clip,
                        clip / window,
                        window));
        Path classifierDir = r.classifier() != null ? r.classifier() : train(r, split, window);
        try (ViTTagger classifier = ViTTagger.open(classifierDir)) {
            if (!classifier.config().labels().equals(split.classes)) {
                throw new IOException(
                        classifierDir
                                + ": classifies "
                                + classifier.config().labels()
                                + ", the dataset's moods are "
                                + split.classes);
            }
            Scored real = score(classifier, split.heldOut, window);
            double ceiling = accuracy(real, split.heldOut);
            log.accept(
                    String.format(
                            Locale.ROOT,
                            "classifier accuracy on held-out real clips %.3f",
                            ceiling));

            Map<String, List<Path>> clips = generate(r, split.classes, window, clip);
            List<SpectrogramWindows.Entry> generated = new ArrayList<>();
            for (int c = 0; c < split.classes.size(); c++) {
                for (Path png : clips.get(split.classes.get(c))) {
                    RgbImage img = RgbImages.read(png);
                    if (img.width() < clip) {
                        throw new IOException(
                                png + ": " + img.width() + " px wide, the clips are " + clip);
                    }
                    generated.add(
                            new SpectrogramWindows.Entry(
                                    png.getFileName().toString(),
                                    SpectrogramWindows.crop(img, 0, clip),
                                    c));
                }
            }
            Scored gen = score(classifier, generated, window);
            Map<String, Double> casPerClass = new LinkedHashMap<>();
            for (int c = 0; c < split.classes.size(); c++) {
                casPerClass.put(split.classes.get(c), accuracy(gen, generated, c));
            }

            List<float[]> halfA = new ArrayList<>();
            List<float[]> halfB = new ArrayList<>();
            for (int i = 0; i < real.embeddings.length; i++) {
                (split.half[real.clipOf[i]] ? halfB : halfA).add(real.embeddings[i]);
            }
            float[][] a = halfA.toArray(float[][]::new);
            double frechet = FrechetDistance.between(gen.embeddings, a);
            double reference = FrechetDistance.between(halfB.toArray(float[][]::new), a);

            float[][] trainPixels = pixels(split.train, window);
            double nearGen =
                    Distances.median(Distances.nearest(pixels(generated, window), trainPixels));
            double nearReal =
                    Distances.median(Distances.nearest(pixels(split.heldOut, window), trainPixels));

            List<Evaluation.EndToEndCase> e2e = new ArrayList<>();
            for (EvaluationRequest.PictureMusic p : r.endToEnd()) {
                e2e.add(endToEnd(classifier, p, window));
            }
            return new Evaluation(
                    split.classes,
                    window,
                    clip,
                    split.train.size(),
                    split.heldOut.size(),
                    ceiling,
                    accuracy(gen, generated),
                    casPerClass,
                    frechet,
                    reference,
                    diversity(gen, generated, split.classes.size()),
                    diversity(real, split.heldOut, split.classes.size()),
                    nearGen,
                    nearReal,
                    e2e,
                    clips);
        }
    }

    /** Writes {@code e} as JSON to {@code file}, paths relative to its folder. */
    public static void write(Evaluation e, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Json.write(file, e.toJson(dir));
    }

    private static String sha256Hex(String s) {
        return MediaLayout.sha256Hex(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A hidden file that says what an output in the work folder was made from (the SHA-256 of
     * {@code key}): the output is reused only while the marker matches, so a rerun with other
     * settings or models makes it anew.
     */
    private record Marker(Path file, String key) {

        boolean matches() throws IOException {
            return Files.isRegularFile(file)
                    && Files.readString(file).strip().equals(sha256Hex(key));
        }

        void write() throws IOException {
            AtomicFiles.write(file, (sha256Hex(key) + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    // ---- the clip: what is classified, as long as a dataset tile

    /**
     * The width of every classified clip: the narrowest tile of the dataset in whole windows, so a
     * clip holds as much music as the pieces the classifier learnt from; at least one window.
     */
    static int clipWidth(SpectrogramImageFolder folder, int window) throws IOException {
        int narrowest = Integer.MAX_VALUE;
        for (SpectrogramImageFolder.Item item : folder.items()) {
            if (item.caption().isBlank()) {
                continue;
            }
            if (item.width() < window) {
                throw new IOException(
                        item.where()
                                + ": "
                                + item.width()
                                + " px wide, narrower than the generator's "
                                + window
                                + " px clips");
            }
            narrowest = Math.min(narrowest, item.width());
        }
        return narrowest == Integer.MAX_VALUE ? window : narrowest / window * window;
    }

    // ---- the real data, split by piece

    private static final class Split {
        final List<String> classes = new ArrayList<>();
        final List<SpectrogramWindows.Entry> train = new ArrayList<>();
        final List<SpectrogramWindows.Entry> heldOut = new ArrayList<>();
        boolean[] half;
    }

    /**
     * The captioned tiles by mood, a quarter of each mood's pieces held out as clips of {@code
     * clip} pixels (each tile's first), the rest for training.
     */
    static Split split(SpectrogramImageFolder folder, int clip, long seed) throws IOException {
        // mood -> piece -> its tiles
        Map<String, Map<String, List<SpectrogramImageFolder.Item>>> byMood = new TreeMap<>();
        for (SpectrogramImageFolder.Item item : folder.items()) {
            if (item.caption().isBlank()) {
                continue;
            }
            byMood.computeIfAbsent(item.caption(), k -> new TreeMap<>())
                    .computeIfAbsent(piece(item.file()), k -> new ArrayList<>())
                    .add(item);
        }
        Split s = new Split();
        s.classes.addAll(byMood.keySet());
        if (s.classes.size() < 2) {
            throw new IOException(
                    folder.items().get(0).file().getParent()
                            + ": evaluation needs at least 2 captions (moods), found "
                            + s.classes);
        }
        List<Boolean> halves = new ArrayList<>();
        for (int c = 0; c < s.classes.size(); c++) {
            String mood = s.classes.get(c);
            List<String> pieces = new ArrayList<>(byMood.get(mood).keySet());
            if (pieces.size() < 3) {
                throw new IOException(
                        "mood '"
                                + mood
                                + "' has tiles of "
                                + pieces.size()
                                + " piece(s): evaluation holds pieces out and needs at least 3");
            }
            pieces.sort(Comparator.comparing(p -> sha256Hex(seed + "/" + p)));
            int held = Math.max(2, (int) Math.round(pieces.size() * HELD_OUT_SHARE));
            held = Math.min(held, pieces.size() - 1);
            for (int p = 0; p < pieces.size(); p++) {
                for (SpectrogramImageFolder.Item item : byMood.get(mood).get(pieces.get(p))) {
                    RgbImage img = SpectrogramImageFolder.image(item);
                    String name = item.file().getFileName().toString();
                    if (p < held) {
                        // Half A and half B alternate pieces, so no piece is in both.
                        RgbImage first = SpectrogramWindows.crop(img, 0, clip);
                        s.heldOut.add(new SpectrogramWindows.Entry(name, first, c));
                        halves.add(p % 2 == 1);
                    } else {
                        s.train.add(new SpectrogramWindows.Entry(name, img, c));
                    }
                }
            }
        }
        s.half = new boolean[halves.size()];
        for (int i = 0; i < s.half.length; i++) {
            s.half[i] = halves.get(i);
        }
        return s;
    }

    /** The piece a tile was cut from: build-dataset's {@code <source>_<segment>_<tile>.png}. */
    static String piece(Path tile) {
        String name = tile.getFileName().toString();
        int cut = name.indexOf('_');
        return cut > 0 ? name.substring(0, cut) : name;
    }

    // ---- the classifier

    /** The classifier's batch size. */
    static final int CLASSIFIER_BATCH = 16;

    /** A small ViT for {@code trainWindows} windows, trained for at least {@code steps} steps. */
    static TaggerTrainingConfig classifierConfig(int steps, int trainWindows, long seed) {
        int perEpoch = Math.max(1, (trainWindows + CLASSIFIER_BATCH - 1) / CLASSIFIER_BATCH);
        int epochs = (steps + perEpoch - 1) / perEpoch;
        TaggerTrainingConfig d = TaggerTrainingConfig.defaults();
        TrainingArguments t =
                d.training().toBuilder()
                        .epochs(epochs)
                        .batchSize(CLASSIFIER_BATCH)
                        .learningRate(1e-3)
                        .checkpointEvery(0)
                        .seed(seed)
                        .build();
        return d.toBuilder()
                .training(t)
                .singleLabel(true)
                .imageSize(64)
                .patchSize(8)
                // Narrower or shallower models fit the demo corpus' training tiles as well but
                // tell fewer held-out pieces apart (0.79 against 0.875 of the clips, 1,600 steps).
                .hiddenSize(64)
                .numLayers(3)
                .numHeads(2)
                .build();
    }

    private Path train(EvaluationRequest r, Split split, int window) throws IOException {
        Path dir = r.work().resolve("classifier");
        TaggerTrainingConfig config =
                classifierConfig(r.classifierSteps(), split.train.size(), r.seed());
        ImageTransforms t = ImageTransforms.evaluation(config.preprocessing());
        SpectrogramWindows train =
                new SpectrogramWindows(split.classes, split.train, window, true, t, r.seed());
        Marker done =
                new Marker(
                        dir.resolve(CLASSIFIER_DONE), train.fingerprint() + " " + config.toJson());
        if (done.matches()) {
            log.accept("classifier: kept from an earlier run in " + dir);
            return dir;
        }
        // No validation while training: the held-out accuracy is measured once, below.
        boolean resume = Checkpoints.any(dir);
        TaggerTrainer.Result result = new TaggerTrainer(config, train, null, dir, null).run(resume);
        log.accept(
                String.format(
                        Locale.ROOT,
                        "classifier: %d steps, last loss %.4f",
                        result.steps(),
                        result.lastLoss()));
        done.write();
        return dir;
    }

    /**
     * What the classifier makes of clips: each clip's probabilities (the mean over its windows),
     * and every window's embedding with the index of its clip.
     */
    private record Scored(float[][] probabilities, float[][] embeddings, int[] clipOf) {}

    private static Scored score(
            ViTTagger classifier, List<SpectrogramWindows.Entry> clips, int window) {
        List<RgbImage> windows = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        for (int c = 0; c < clips.size(); c++) {
            for (RgbImage w : SpectrogramWindows.cut(clips.get(c).image(), window)) {
                windows.add(w);
                owner.add(c);
            }
        }
        int classes = classifier.config().labels().size();
        float[][] probabilities = new float[clips.size()][classes];
        float[][] embeddings = new float[windows.size()][];
        int[] clipOf = owner.stream().mapToInt(Integer::intValue).toArray();
        int[] count = new int[clips.size()];
        int batch = 32;
        for (int i = 0; i < windows.size(); i += batch) {
            int end = Math.min(windows.size(), i + batch);
            ViTTagger.Scores s = classifier.score(windows.subList(i, end));
            for (int j = i; j < end; j++) {
                embeddings[j] = s.embeddings()[j - i];
                float[] p = s.probabilities()[j - i];
                for (int k = 0; k < classes; k++) {
                    probabilities[clipOf[j]][k] += p[k];
                }
                count[clipOf[j]]++;
            }
        }
        for (int c = 0; c < clips.size(); c++) {
            for (int k = 0; k < classes; k++) {
                probabilities[c][k] /= count[c];
            }
        }
        return new Scored(probabilities, embeddings, clipOf);
    }

    private static double accuracy(Scored s, List<SpectrogramWindows.Entry> entries) {
        return accuracy(s, entries, -1);
    }

    /**
     * Share of entries (of class {@code only}, or all for −1) whose most probable class is theirs.
     */
    private static double accuracy(Scored s, List<SpectrogramWindows.Entry> entries, int only) {
        int n = 0;
        int right = 0;
        for (int i = 0; i < entries.size(); i++) {
            int label = entries.get(i).label();
            if (only >= 0 && label != only) {
                continue;
            }
            n++;
            if (argmax(s.probabilities[i]) == label) {
                right++;
            }
        }
        return n == 0 ? Double.NaN : right / (double) n;
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * Mean pairwise distance between the window embeddings of each class's clips, averaged over
     * classes.
     */
    private static double diversity(Scored s, List<SpectrogramWindows.Entry> clips, int classes) {
        double sum = 0;
        int n = 0;
        for (int c = 0; c < classes; c++) {
            List<float[]> mine = new ArrayList<>();
            for (int i = 0; i < s.embeddings.length; i++) {
                if (clips.get(s.clipOf[i]).label() == c) {
                    mine.add(s.embeddings[i]);
                }
            }
            if (mine.size() >= 2) {
                sum += Distances.meanPairwise(mine.toArray(float[][]::new));
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /**
     * Every {@code window}-wide window of the entries as grey levels in [0, 1] scaled so that the
     * Euclidean distance between two is their RMS difference.
     */
    private static float[][] pixels(List<SpectrogramWindows.Entry> entries, int window) {
        List<float[]> out = new ArrayList<>();
        for (SpectrogramWindows.Entry e : entries) {
            for (RgbImage w : SpectrogramWindows.cut(e.image(), window)) {
                int n = w.width() * w.height();
                float scale = (float) (1 / (255.0 * Math.sqrt(n)));
                float[] v = new float[n];
                byte[] px = w.pixels();
                for (int i = 0; i < n; i++) {
                    int grey = (px[3 * i] & 0xFF) + (px[3 * i + 1] & 0xFF) + (px[3 * i + 2] & 0xFF);
                    v[i] = grey / 3f * scale;
                }
                out.add(v);
            }
        }
        return out.toArray(float[][]::new);
    }

    // ---- generated clips

    /**
     * {@code perClass} clips per mood of {@code clip} pixels each: one generator window, or a long
     * piece outpainted window by window as {@code text-to-audio --seconds} makes it.
     */
    private Map<String, List<Path>> generate(
            EvaluationRequest r, List<String> classes, int window, int clip) throws IOException {
        Map<String, List<Path>> out = new LinkedHashMap<>();
        Path dir = r.work().resolve("clips");
        SpectrogramParams params = SpectrogramFormatFile.read(r.generator());
        // 1 + floor(samples / hop) frames: exactly the clip's width.
        Double seconds =
                clip == window
                        ? null
                        : (clip - 1) * (double) params.hopLength() / params.sampleRate();
        String settings = clipSettings(r, window, clip);
        for (int c = 0; c < classes.size(); c++) {
            String mood = classes.get(c);
            Path wav = dir.resolve(String.format(Locale.ROOT, "%02d-%s.wav", c, safe(mood)));
            String stem = wav.getFileName().toString().replace(".wav", "");
            List<Path> pngs = new ArrayList<>();
            for (int k = 0; k < r.perClass(); k++) {
                pngs.add(dir.resolve(String.format(Locale.ROOT, "%s-%03d.png", stem, k)));
            }
            // A mood's clips are reused only if made with these settings by this generator: a
            // rerun with other steps, or after the generator was trained again, makes them anew.
            Marker made = new Marker(dir.resolve("." + stem + ".settings"), settings);
            if (allAtLeast(pngs, clip) && made.matches()) {
                log.accept("\"" + mood + "\": " + pngs.size() + " clips kept from an earlier run");
            } else {
                Files.createDirectories(dir);
                MusicSettings music =
                        new MusicSettings(
                                r.generator(),
                                r.guidance(),
                                r.seed() + 1000L * c,
                                DiffusionSettings.defaults().withSteps(r.steps()).withWidth(window),
                                r.perClass(),
                                seconds,
                                null,
                                wav);
                GenerationResult g =
                        new TextToMusicService(ProgressListener.NONE, cancellation)
                                .run(new TextToMusicRequest(mood, music));
                made.write();
                log.accept("\"" + mood + "\": " + g.outputs().size() + " clips generated");
            }
            out.put(mood, pngs);
        }
        return out;
    }

    /**
     * What the generated clips depend on: the generation settings and the generator's files (path,
     * size and modification time of each, outside its training checkpoints), so that a generator
     * trained again into the same folder is told apart without reading gigabytes of weights.
     */
    static String clipSettings(EvaluationRequest r, int window, int clip) throws IOException {
        return String.format(
                        Locale.ROOT,
                        "steps=%d guidance=%s seed=%d window=%d clip=%d per=%d%n",
                        r.steps(),
                        r.guidance(),
                        r.seed(),
                        window,
                        clip,
                        r.perClass())
                + stamp(r.generator());
    }

    /** Path, size and modification time of each file of a model folder but its working state. */
    private static String stamp(Path folder) throws IOException {
        StringBuilder b = new StringBuilder();
        Path root = folder.toAbsolutePath().normalize();
        try (var files = Files.walk(root)) {
            for (Path f :
                    files.filter(Files::isRegularFile)
                            .filter(f -> !isWorkingState(root.relativize(f)))
                            .sorted()
                            .toList()) {
                b.append(root.relativize(f))
                        .append(' ')
                        .append(Files.size(f))
                        .append(' ')
                        .append(Files.getLastModifiedTime(f).toMillis())
                        .append('\n');
            }
        }
        return b.toString();
    }

    /** Training checkpoints and hidden caches or locks: not part of the trained model. */
    private static boolean isWorkingState(Path relative) {
        String top = relative.getName(0).toString();
        return top.startsWith("checkpoint-") || top.startsWith(".");
    }

    /** Whether every file exists and is an image at least {@code width} pixels wide. */
    private static boolean allAtLeast(List<Path> pngs, int width) {
        for (Path png : pngs) {
            try {
                if (!Files.isRegularFile(png) || RgbImages.read(png).width() < width) {
                    return false;
                }
            } catch (IOException e) {
                return false; // unreadable: made again
            }
        }
        return true;
    }

    private static String safe(String s) {
        String t = s.replaceAll("[^A-Za-z0-9-]+", "_");
        return t.length() > 60 ? t.substring(0, 60) : t;
    }

    // ---- end to end

    /**
     * Music for each picture of the label folders {@code pictures} ({@code <mood>/<image>}) made by
     * {@code tagger} and {@code generator} with clips of the generator's native width, written to
     * {@code work/end-to-end/<mood>-<image>.wav} (kept from an earlier run when there).
     *
     * @param seconds the length of each piece
     * @param guidance the classifier-free guidance scale of each piece
     * @param seed the first picture's seed; each next picture's is one more, so two pictures tagged
     *     alike still get two different pieces
     * @throws IOException naming the folder or file that cannot be used
     */
    public List<EvaluationRequest.PictureMusic> musicForPictures(
            Path tagger,
            Path pictures,
            Path generator,
            double seconds,
            int steps,
            double guidance,
            long seed,
            Path work)
            throws IOException {
        Map<String, List<Path>> byMood = LabelFolders.read(pictures, java.util.Set.of(), log);
        if (byMood.isEmpty()) {
            throw new IOException(pictures + ": no label folders with pictures (<mood>/<image>)");
        }
        int window = NativeWidth.of(generator);
        Path dir = work.resolve("end-to-end");
        String models = stamp(generator) + stamp(tagger);
        List<EvaluationRequest.PictureMusic> out = new ArrayList<>();
        for (Map.Entry<String, List<Path>> e : byMood.entrySet()) {
            for (Path picture : e.getValue()) {
                String file = picture.getFileName().toString();
                int dot = file.lastIndexOf('.');
                String name = e.getKey() + "-" + (dot > 0 ? file.substring(0, dot) : file);
                Path wav = dir.resolve(safe(name) + ".wav");
                Path png = wav.resolveSibling(safe(name) + ".png");
                long pieceSeed = seed + out.size();
                Marker made =
                        new Marker(
                                dir.resolve("." + safe(name) + ".settings"),
                                String.format(
                                                Locale.ROOT,
                                                "%s seconds=%s steps=%d guidance=%s seed=%d%n",
                                                picture.toAbsolutePath().normalize(),
                                                seconds,
                                                steps,
                                                guidance,
                                                pieceSeed)
                                        + models);
                if (!Files.isRegularFile(png) || !made.matches()) {
                    Files.createDirectories(dir);
                    MusicSettings music =
                            MusicSettings.of(generator, pieceSeed, wav)
                                    .withGuidance(guidance)
                                    .withDiffusion(
                                            DiffusionSettings.defaults()
                                                    .withSteps(steps)
                                                    .withWidth(window))
                                    .withSeconds(seconds, null);
                    new ImageToMusicService(ProgressListener.NONE, cancellation)
                            .run(ImageToMusicRequest.of(tagger, picture, music));
                    made.write();
                    log.accept(name + ": music made");
                }
                out.add(new EvaluationRequest.PictureMusic(name, e.getKey(), png));
            }
        }
        return out;
    }

    private static Evaluation.EndToEndCase endToEnd(
            ViTTagger classifier, EvaluationRequest.PictureMusic p, int window) throws IOException {
        RgbImage img = RgbImages.read(p.spectrogram());
        if (img.width() < window) {
            throw new IOException(
                    p.spectrogram() + ": " + img.width() + " px wide, the windows are " + window);
        }
        List<SpectrogramWindows.Entry> piece =
                List.of(new SpectrogramWindows.Entry(p.name(), img, 0));
        float[] mean = score(classifier, piece, window).probabilities[0];
        int best = argmax(mean);
        return new Evaluation.EndToEndCase(
                p.name(),
                p.mood(),
                classifier.config().labels().get(best),
                mean[best],
                p.spectrogram());
    }
}
