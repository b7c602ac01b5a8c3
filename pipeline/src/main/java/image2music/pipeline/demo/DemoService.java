package image2music.pipeline.demo;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import image2music.audio.dataset.AudioSource;
import image2music.audio.dataset.AudioSources;
import image2music.audio.dataset.DatasetBuilder;
import image2music.audio.dataset.DatasetParams;
import image2music.audio.dataset.SpectrogramTileRenderer;
import image2music.audio.io.WavReader;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.core.io.AtomicFiles;
import image2music.data.media.CollectListener;
import image2music.data.synth.SynthCorpusParams;
import image2music.data.synth.SyntheticCorpus;
import image2music.models.diffusion.training.GeneratorPreset;
import image2music.models.diffusion.training.GeneratorTrainer;
import image2music.models.diffusion.training.GeneratorTrainingConfig;
import image2music.models.diffusion.training.SpectrogramImageFolder;
import image2music.models.train.Checkpoints;
import image2music.models.train.LrSchedule;
import image2music.models.train.TrainingArguments;
import image2music.models.vit.ImageProcessorConfig;
import image2music.models.vit.TaggerTrainer;
import image2music.models.vit.TaggerTrainingConfig;
import image2music.models.vit.data.ImageDataset;
import image2music.models.vit.data.ImageTransforms;
import image2music.pipeline.DiffusionSettings;
import image2music.pipeline.GenerationResult;
import image2music.pipeline.ImageToMusicRequest;
import image2music.pipeline.ImageToMusicService;
import image2music.pipeline.InvalidRequestException;
import image2music.pipeline.MusicSettings;
import image2music.pipeline.evaluate.Evaluation;
import image2music.pipeline.evaluate.EvaluationRequest;
import image2music.pipeline.evaluate.EvaluationService;
import image2music.pipeline.progress.Cancellation;
import image2music.pipeline.progress.ProgressListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The end-to-end offline demo as a service: a synthetic mood corpus, a captioned spectrogram
 * dataset, a ViT tagger and a tiny spectrogram generator trained from scratch on it, music for
 * pictures the tagger never saw, and {@code report.html} with {@code demo.json}. Each stage runs
 * the same services as its verb and is skipped when an earlier run completed it (its marker under
 * {@code .stages/}), so a rerun after an interruption continues. The caller configures the tensor
 * engine first.
 */
public final class DemoService {

    /** The stages, in order, named by the verb each runs. */
    public static final List<String> STAGES =
            List.of(
                    "synth-corpus",
                    "build-dataset",
                    "train-tagger",
                    "train-generator",
                    "image-to-music",
                    "evaluate",
                    "report");

    private static final String MARKERS = ".stages";

    /** The settings a demo folder was started with, beside the stage markers. */
    private static final String SETTINGS = "demo.settings";

    private static final long MAX_SETTINGS_BYTES = 4096;

    private final Consumer<DemoEvent> listener;
    private final Cancellation cancellation;

    /**
     * @param listener told each stage and line, on the running thread
     * @param cancellation checked between stages and denoising steps
     */
    public DemoService(Consumer<DemoEvent> listener, Cancellation cancellation) {
        this.listener = listener;
        this.cancellation = cancellation;
    }

    /**
     * Runs (or continues) the demo.
     *
     * @throws IOException naming the file that cannot be read or written
     * @throws InterruptedException if interrupted while the corpus is made
     */
    public DemoResult run(DemoRequest request) throws IOException, InterruptedException {
        Run run = new Run(request);
        return run.all();
    }

    /** The folders of a demo under {@code out}. */
    static final class Layout {
        final Path out;

        Layout(Path out) {
            this.out = out;
        }

        Path corpus() {
            return out.resolve("corpus");
        }

        Path images() {
            return corpus().resolve("images");
        }

        Path audio() {
            return corpus().resolve("audio");
        }

        Path taggerImages() {
            return out.resolve("tagger-images");
        }

        Path heldOut() {
            return out.resolve("held-out");
        }

        Path dataset() {
            return out.resolve("dataset");
        }

        Path tagger() {
            return DemoModels.in(out).tagger();
        }

        Path generator() {
            return DemoModels.in(out).generator();
        }

        Path clips() {
            return out.resolve("clips");
        }

        Path evaluation() {
            return out.resolve("evaluation");
        }

        Path marker(String stage) {
            return out.resolve(MARKERS).resolve(stage + ".done");
        }

        Path settings() {
            return out.resolve(MARKERS).resolve(SETTINGS);
        }
    }

    /**
     * A held-out picture: its copy under the demo folder, its true mood and the seed of its music
     * (one per picture, so two pictures of one mood get two pieces, not the same one twice).
     */
    record HeldOut(String name, Path image, String mood, long seed) {}

    private final class Run {
        final DemoRequest request;
        final DemoPlan plan;
        final Layout at;
        final Map<String, Double> seconds = new LinkedHashMap<>();
        final Map<String, String> commands = new LinkedHashMap<>();
        int index;

        Run(DemoRequest request) {
            this.request = request;
            this.plan = DemoPlan.of(request.quick());
            this.at = new Layout(request.out());
        }

        DemoResult all() throws IOException, InterruptedException {
            Files.createDirectories(at.out);
            claimFolder();
            commands.put("synth-corpus", synthCommand());
            commands.put("build-dataset", datasetCommand());
            commands.put("train-tagger", taggerCommand());
            commands.put("train-generator", generatorCommand());
            commands.put("evaluate", evaluateCommand());
            stage("synth-corpus", this::corpus);
            stage("build-dataset", this::dataset);
            commands.put("train-generator", generatorCommand());
            List<HeldOut> heldOut = split();
            stage("train-tagger", this::tagger);
            stage("train-generator", this::generator);
            List<DemoResult.Clip> clips = new ArrayList<>();
            index++;
            listener.accept(new DemoEvent.StageStarted(index, STAGES.size(), "image-to-music"));
            long t = System.nanoTime();
            for (HeldOut h : heldOut) {
                cancellation.check();
                clips.add(music(h));
            }
            double musicSeconds = (System.nanoTime() - t) / 1e9;
            seconds.put("image-to-music", musicSeconds);
            listener.accept(new DemoEvent.StageDone("image-to-music", musicSeconds));
            Evaluation evaluation = evaluate(clips);
            index++;
            listener.accept(new DemoEvent.StageStarted(index, STAGES.size(), "report"));
            String command = musicCommand(heldOut.get(0), at.out.resolve("mine.wav"));
            seconds.put("report", 0.0);
            DemoResult result =
                    new DemoResult(
                            at.out.resolve("report.html"),
                            at.out.resolve("demo.json"),
                            at.tagger(),
                            at.generator(),
                            clips,
                            seconds,
                            command,
                            evaluation);
            DemoReport.write(result, request, plan, commands);
            listener.accept(new DemoEvent.Line("report: " + result.report()));
            return result;
        }

        interface Stage {
            void run() throws IOException, InterruptedException;
        }

        /**
         * Stages are skipped by their markers alone, so a folder started with another seed or size
         * would mix two corpora; refuse it before any work. A folder with markers from before the
         * settings file is taken as it is, and left unclaimed.
         */
        void claimFolder() throws IOException {
            String mine = settingsFlags();
            Path file = at.settings();
            if (Files.isRegularFile(file)) {
                if (Files.size(file) > MAX_SETTINGS_BYTES) {
                    throw new IOException(file + ": not a demo settings file (too large)");
                }
                String theirs = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!theirs.equals(mine)) {
                    throw new InvalidRequestException(
                            at.out
                                    + " holds a demo started with '"
                                    + theirs
                                    + "', not '"
                                    + mine
                                    + "': rerun with those options to continue it, or give"
                                    + " another --out");
                }
                return;
            }
            boolean earlier = false;
            for (String stage : STAGES) {
                earlier |= Files.exists(at.marker(stage));
            }
            if (!earlier) {
                Files.createDirectories(file.getParent());
                AtomicFiles.write(file, (mine + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }

        String settingsFlags() {
            return (request.quick() ? "--quick " : "") + "--seed " + request.seed();
        }

        void stage(String name, Stage body) throws IOException, InterruptedException {
            cancellation.check();
            index++;
            listener.accept(new DemoEvent.StageStarted(index, STAGES.size(), name));
            Path marker = at.marker(name);
            if (Files.isRegularFile(marker)) {
                seconds.put(name, 0.0);
                listener.accept(new DemoEvent.StageSkipped(name));
                return;
            }
            long t = System.nanoTime();
            body.run();
            double s = (System.nanoTime() - t) / 1e9;
            seconds.put(name, s);
            Files.createDirectories(marker.getParent());
            AtomicFiles.write(
                    marker,
                    (commands.getOrDefault(name, name) + "\n").getBytes(StandardCharsets.UTF_8));
            listener.accept(new DemoEvent.StageDone(name, s));
        }

        // ---- 1. synth-corpus

        SynthCorpusParams corpusParams() {
            return SynthCorpusParams.defaults()
                    .withMoods(plan.moods())
                    .withPerMood(plan.perMood())
                    .withSeconds(plan.pieceSeconds())
                    .withImageSize(plan.pictureSize())
                    .withSeed(request.seed());
        }

        void corpus() throws IOException, InterruptedException {
            SyntheticCorpus.Summary s =
                    new SyntheticCorpus(corpusParams())
                            .write(
                                    at.corpus(),
                                    new CollectListener() {
                                        @Override
                                        public void note(String message) {
                                            line(message);
                                        }
                                    });
            line(
                    String.format(
                            Locale.ROOT,
                            "%d pictures and pieces made (%d kept), sounds: %s",
                            s.made(),
                            s.alreadyHad(),
                            s.sounds()));
        }

        // ---- 2. build-dataset

        DatasetParams datasetParams() {
            return DatasetParams.of(
                    plan.segmentSeconds(),
                    plan.tileWidth(),
                    DatasetParams.DEFAULT_SILENCE_DBFS,
                    SpectrogramParams.defaults().stepSizeMs(),
                    plan.melBins());
        }

        void dataset() throws IOException, InterruptedException {
            DatasetParams params = datasetParams();
            SpectrogramParams sp = params.spectrogramParams(SpectrogramParams.defaults());
            List<AudioSource> sources = AudioSources.scan(at.audio());
            if (sources.isEmpty()) {
                throw new IOException(at.audio() + ": no labelled audio files found");
            }
            DatasetBuilder.Summary s =
                    new DatasetBuilder(
                                    params,
                                    new SpectrogramTileRenderer(sp),
                                    sp,
                                    Runtime.getRuntime().availableProcessors())
                            .build(sources, at.dataset(), new DatasetBuilder.Listener() {});
            if (s.failedFiles() > 0) {
                throw new IOException(
                        at.dataset() + ": " + s.failedFiles() + " files failed: " + s.failures());
            }
            line(s.images() + " spectrogram tiles from " + s.files() + " pieces");
        }

        // ---- held-out pictures and the tagger's image root

        /**
         * Chooses {@code heldOutPerMood} pictures per mood by a seeded shuffle of their sorted
         * names, copies them to {@code held-out/} and every other picture to {@code
         * tagger-images/<mood>/} (label folders, the tagger's training root).
         */
        List<HeldOut> split() throws IOException {
            List<HeldOut> heldOut = new ArrayList<>();
            for (String mood : plan.moods()) {
                List<Path> pictures = pictures(at.images().resolve(mood));
                if (pictures.size() <= plan.heldOutPerMood()) {
                    throw new IOException(
                            at.images().resolve(mood) + ": too few pictures to hold some out");
                }
                List<Path> shuffled = new ArrayList<>(pictures);
                Collections.shuffle(shuffled, new Random(request.seed() ^ mood.hashCode()));
                List<Path> held = shuffled.subList(0, plan.heldOutPerMood());
                Path train = at.taggerImages().resolve(mood);
                Files.createDirectories(train);
                Files.createDirectories(at.heldOut().resolve(mood));
                for (Path p : pictures) {
                    String file = p.getFileName().toString();
                    if (held.contains(p)) {
                        String name = mood + "-" + stem(file);
                        Path copy = at.heldOut().resolve(mood).resolve(file);
                        copyIfAbsent(p, copy);
                        heldOut.add(new HeldOut(name, copy, mood, request.seed() + heldOut.size()));
                    } else {
                        copyIfAbsent(p, train.resolve(file));
                    }
                }
            }
            return heldOut;
        }

        // ---- 3. train-tagger

        TaggerTrainingConfig taggerConfig() {
            TaggerTrainingConfig d = TaggerTrainingConfig.defaults();
            return d.toBuilder()
                    .training(
                            d.training().toBuilder()
                                    .epochs(plan.taggerEpochs())
                                    .batchSize(8)
                                    .learningRate(3e-3)
                                    .checkpointEvery(0)
                                    .seed(request.seed())
                                    .build())
                    .imageSize(plan.taggerImageSize())
                    .patchSize(8)
                    .hiddenSize(32)
                    .numLayers(2)
                    .numHeads(2)
                    .build();
        }

        void tagger() throws IOException {
            TaggerTrainingConfig config = taggerConfig();
            ImageProcessorConfig pre = config.preprocessing();
            ImageDataset train = images(ImageDataset.Split.TRAIN, ImageTransforms.training(pre));
            ImageDataset validation =
                    images(ImageDataset.Split.VALIDATION, ImageTransforms.evaluation(pre));
            boolean resume = Checkpoints.any(at.tagger());
            TaggerTrainer.Result r =
                    new TaggerTrainer(config, train, validation, at.tagger(), null).run(resume);
            if (r.wasDone()) {
                line(alreadyTrained(r.steps()));
                return;
            }
            line(
                    String.format(
                            Locale.ROOT,
                            "%d training and %d validation pictures, %d steps, last loss %.4f%s",
                            train.imageCount(),
                            validation.imageCount(),
                            r.steps(),
                            r.lastLoss(),
                            r.lastMetrics() == null
                                    ? ""
                                    : String.format(
                                            Locale.ROOT,
                                            ", validation micro-F1 %.2f",
                                            r.lastMetrics().microF1())));
        }

        ImageDataset images(ImageDataset.Split split, ImageTransforms t) throws IOException {
            return ImageDataset.builder()
                    .setRoot(at.taggerImages())
                    .setTransforms(t)
                    .optSplit(split)
                    .optValidationFraction(0.2)
                    .optSeed(request.seed())
                    .build();
        }

        // ---- 4. train-generator

        void generator() throws IOException {
            SpectrogramImageFolder folder = SpectrogramImageFolder.open(at.dataset());
            TrainingArguments base =
                    GeneratorTrainingConfig.defaultArguments().toBuilder()
                            .learningRate(plan.generatorLearningRate())
                            .lrSchedule(LrSchedule.Decay.COSINE)
                            .seed(request.seed())
                            .build();
            long perEpoch = (folder.size() + base.batchSize() - 1) / base.batchSize();
            int epochs = generatorEpochs(folder.size());
            GeneratorTrainingConfig config =
                    new GeneratorTrainingConfig(
                            base.toBuilder().epochs(epochs).build(),
                            null,
                            GeneratorPreset.TINY,
                            0,
                            0,
                            false,
                            0,
                            0,
                            null,
                            plan.generatorWidth(),
                            false,
                            GeneratorTrainingConfig.DEFAULT_CAPTION_DROPOUT,
                            List.of(),
                            GeneratorTrainingConfig.DEFAULT_VALIDATION_STEPS,
                            GeneratorTrainingConfig.DEFAULT_VALIDATION_GUIDANCE);
            boolean resume = Checkpoints.any(at.generator());
            GeneratorTrainer.Result r =
                    new GeneratorTrainer(config, folder, at.generator(), null).run(resume);
            if (r.wasDone()) {
                line(alreadyTrained(r.steps()));
                return;
            }
            line(
                    String.format(
                            Locale.ROOT,
                            "%d tiles, %d captions, %d epochs of %d steps, last loss %.4f",
                            folder.size(),
                            folder.captions().size(),
                            epochs,
                            perEpoch,
                            r.lastLoss()));
        }

        /** The line of a training stage an earlier run finished (no loss to report). */
        static String alreadyTrained(long steps) {
            return "already trained (" + steps + " steps) by an earlier run: left as it was";
        }

        int generatorEpochs(int tiles) {
            long perEpoch = Math.max(1, (tiles + 3) / 4);
            return (int) Math.max(1, Math.round((double) plan.generatorSteps() / perEpoch));
        }

        // ---- 5. image-to-music

        DemoResult.Clip music(HeldOut h) throws IOException {
            Path wav = at.clips().resolve(h.name() + ".wav");
            Path json = at.clips().resolve(h.name() + ".json");
            JsonObject sidecar;
            if (Files.isRegularFile(wav) && Files.isRegularFile(json)) {
                sidecar = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
                line(h.name() + ": kept from an earlier run");
            } else {
                Files.createDirectories(at.clips());
                MusicSettings music =
                        MusicSettings.of(at.generator(), h.seed(), wav)
                                .withGuidance(plan.guidance())
                                .withDiffusion(
                                        DiffusionSettings.defaults()
                                                .withSteps(plan.denoisingSteps())
                                                .withWidth(plan.musicWidth()))
                                .withSeconds(plan.musicSeconds(), null);
                GenerationResult r =
                        new ImageToMusicService(ProgressListener.NONE, cancellation)
                                .run(ImageToMusicRequest.of(at.tagger(), h.image(), music));
                sidecar = r.outputs().get(0).sidecar();
            }
            List<Map.Entry<String, Double>> predicted = new ArrayList<>();
            JsonElement labels = sidecar.get("labels");
            if (labels != null && labels.isJsonArray()) {
                for (JsonElement e : labels.getAsJsonArray()) {
                    JsonObject o = e.getAsJsonObject();
                    predicted.add(
                            new AbstractMap.SimpleImmutableEntry<>(
                                    o.get("label").getAsString(),
                                    o.get("probability").getAsDouble()));
                }
            }
            String prompt = sidecar.has("prompt") ? sidecar.get("prompt").getAsString() : "";
            double length = WavReader.read(wav).durationSeconds();
            line(
                    String.format(
                            Locale.ROOT,
                            "%s (%s) -> \"%s\": %s, %.1f s",
                            h.name(),
                            h.mood(),
                            prompt,
                            at.out.relativize(wav),
                            length));
            return new DemoResult.Clip(
                    h.name(), h.image(), h.mood(), predicted, prompt, wav, length);
        }

        // ---- 6. evaluate

        /**
         * Runs every time (not behind a marker): what it trains and generates is kept in {@code
         * evaluation/} and reused, so a rerun only scores again.
         */
        Evaluation evaluate(List<DemoResult.Clip> clips) throws IOException {
            index++;
            listener.accept(new DemoEvent.StageStarted(index, STAGES.size(), "evaluate"));
            long t = System.nanoTime();
            List<EvaluationRequest.PictureMusic> e2e = new ArrayList<>();
            for (DemoResult.Clip c : clips) {
                e2e.add(
                        new EvaluationRequest.PictureMusic(
                                c.name(), c.mood(), c.wav().resolveSibling(c.name() + ".png")));
            }
            Evaluation e =
                    new EvaluationService(this::line, cancellation)
                            .run(
                                    new EvaluationRequest(
                                            at.generator(),
                                            at.dataset(),
                                            null,
                                            plan.classifierSteps(),
                                            plan.evaluatePerMood(),
                                            plan.denoisingSteps(),
                                            plan.guidance(),
                                            request.seed(),
                                            at.evaluation(),
                                            e2e));
            EvaluationService.write(e, at.out.resolve("evaluation.json"));
            for (String row : e.table().split("\n")) {
                line(row);
            }
            double s = (System.nanoTime() - t) / 1e9;
            seconds.put("evaluate", s);
            listener.accept(new DemoEvent.StageDone("evaluate", s));
            return e;
        }

        // ---- the commands each stage corresponds to

        String synthCommand() {
            return String.format(
                    Locale.ROOT,
                    "./image2music synth-corpus --out %s --moods %s --per-mood %d --seconds %s"
                            + " --seed %d",
                    q(at.corpus()),
                    String.join(",", plan.moods()),
                    plan.perMood(),
                    num(plan.pieceSeconds()),
                    request.seed());
        }

        String datasetCommand() {
            return String.format(
                    Locale.ROOT,
                    "./image2music build-dataset --audio %s --out %s --segment-seconds %s"
                            + " --tile-width %d --mel-bins %d",
                    q(at.audio()),
                    q(at.dataset()),
                    num(plan.segmentSeconds()),
                    plan.tileWidth(),
                    plan.melBins());
        }

        String taggerCommand() {
            TaggerTrainingConfig c = taggerConfig();
            return String.format(
                    Locale.ROOT,
                    "./image2music train-tagger --images %s --out %s --image-size %d --patch-size"
                            + " %d --hidden-size %d --layers %d --heads %d --epochs %d"
                            + " --batch-size %d --lr %s --checkpoint-every 0"
                            + " --validation-fraction 0.2 --seed %d",
                    q(at.taggerImages()),
                    q(at.tagger()),
                    c.imageSize(),
                    c.patchSize(),
                    c.hiddenSize(),
                    c.numLayers(),
                    c.numHeads(),
                    c.training().epochs(),
                    c.training().batchSize(),
                    num(c.training().learningRate()),
                    request.seed());
        }

        String generatorCommand() {
            int tiles = 0;
            try {
                tiles = SpectrogramImageFolder.open(at.dataset()).size();
            } catch (IOException | RuntimeException e) {
                // Not built yet: the command is written again once it is (see all()).
            }
            return String.format(
                    Locale.ROOT,
                    "./image2music train-generator --data %s --preset tiny --out %s --width %d"
                            + " --epochs %d --lr %s --lr-scheduler cosine --seed %d"
                            + " --no-validation",
                    q(at.dataset()),
                    q(at.generator()),
                    plan.generatorWidth(),
                    tiles == 0 ? 1 : generatorEpochs(tiles),
                    num(plan.generatorLearningRate()),
                    request.seed());
        }

        String evaluateCommand() {
            return String.format(
                    Locale.ROOT,
                    "./image2music evaluate --generator %s --data %s --per-mood %d --steps %d"
                            + " --guidance %s --classifier-steps %d --seed %d --tagger %s"
                            + " --pictures %s --out %s",
                    q(at.generator()),
                    q(at.dataset()),
                    plan.evaluatePerMood(),
                    plan.denoisingSteps(),
                    num(plan.guidance()),
                    plan.classifierSteps(),
                    request.seed(),
                    q(at.tagger()),
                    q(at.heldOut()),
                    q(at.out.resolve("evaluation.json")));
        }

        String musicCommand(HeldOut h, Path wav) {
            return String.format(
                    Locale.ROOT,
                    "./image2music image-to-music --tagger %s --generator %s --image %s --out %s"
                            + " --seconds %s --width %d --steps %d --guidance %s --seed %d",
                    q(at.tagger()),
                    q(at.generator()),
                    q(h.image()),
                    q(wav),
                    num(plan.musicSeconds()),
                    plan.musicWidth(),
                    plan.denoisingSteps(),
                    num(plan.guidance()),
                    h.seed());
        }

        void line(String text) {
            listener.accept(new DemoEvent.Line(text));
        }
    }

    private static List<Path> pictures(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": no pictures (the corpus is incomplete)");
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        }
    }

    private static void copyIfAbsent(Path from, Path to) throws IOException {
        if (!Files.exists(to)) {
            Path tmp = to.resolveSibling("." + to.getFileName() + ".tmp");
            Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static String stem(String file) {
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    /** A path as a shell word: quoted when it holds anything but safe characters. */
    static String q(Path p) {
        String s = p.toString();
        return s.matches("[A-Za-z0-9_./=:,+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9
                ? Long.toString((long) v)
                : Double.toString(v);
    }

    static String json(Object o) {
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o);
    }
}
