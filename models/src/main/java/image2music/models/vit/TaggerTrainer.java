package image2music.models.vit;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonObject;
import image2music.models.nn.Engines;
import image2music.models.nn.StateDict;
import image2music.models.train.AdamW;
import image2music.models.train.Gradients;
import image2music.models.train.LrSchedule;
import image2music.models.train.Seeds;
import image2music.models.train.TaggingDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Trains a {@link ViTForImageClassification} to tag images: AdamW with warm-up + cosine decay,
 * global-norm clipping, validation and checkpoints at each epoch end, exact resumption.
 *
 * <p>Determinism: the epoch's shuffle, each image's augmentation and each step's libtorch seed
 * (dropout) are derived from (run seed, epoch / step), and a checkpoint holds the parameters, the
 * optimiser's moments and the data position, so a resumed run takes the same steps as one that was
 * never stopped (bit-exact on CPU). Each step runs in its own sub-manager so nothing derived from
 * the parameters outlives it.
 */
public final class TaggerTrainer {

    /** Hears about progress (the CLI's progress bar); all methods optional. */
    public interface Listener {
        /** Training (re)starts at {@code step} of {@code totalSteps}. */
        default void started(long step, long totalSteps) {}

        /** One optimiser step is done. */
        default void stepDone(long step, long totalSteps, double loss, double imagesPerSecond) {}

        /** An epoch ended; {@code metrics} is null without validation images. */
        default void epochDone(long epoch, double trainLoss, TaggingMetrics metrics) {}
    }

    /** How a run ended. */
    public record Result(
            long steps, boolean finished, double lastLoss, TaggingMetrics lastMetrics) {}

    private final TrainingConfig config;
    private final TaggingDataset train;
    private final TaggingDataset validation;
    private final Path out;
    private final Listener listener;

    /**
     * @param validation held-out images with the same labels, or null / empty for none (then no
     *     metrics and no {@code best} folder)
     */
    public TaggerTrainer(
            TrainingConfig config,
            TaggingDataset train,
            TaggingDataset validation,
            Path out,
            Listener listener) {
        if (train.imageCount() == 0) {
            throw new IllegalArgumentException("No training images: the dataset is empty");
        }
        if (train.labels().size() < 2) {
            throw new IllegalArgumentException(
                    "A tagger needs at least 2 labels to learn from, the dataset has "
                            + train.labels().size()
                            + " "
                            + train.labels());
        }
        if (validation != null
                && validation.imageCount() > 0
                && !validation.labels().equals(train.labels())) {
            throw new IllegalArgumentException(
                    "Validation labels "
                            + validation.labels()
                            + " differ from training labels "
                            + train.labels());
        }
        this.config = config;
        this.train = train;
        this.validation = validation == null || validation.imageCount() == 0 ? null : validation;
        this.out = out;
        this.listener = listener == null ? new Listener() {} : listener;
    }

    /** Steps per epoch: every image once, the last batch possibly smaller. */
    public long stepsPerEpoch() {
        return (train.imageCount() + config.batchSize() - 1) / config.batchSize();
    }

    /**
     * Trains into {@code out}; with {@code resume}, continues from its newest checkpoint.
     *
     * @throws IOException when a file cannot be read or written, or {@code resume} finds no
     *     checkpoint
     */
    public Result run(boolean resume) throws IOException {
        Files.createDirectories(out);
        Path preprocessor =
                config.init() == null ? null : config.init().resolve(ImageProcessorConfig.FILE);
        TaggerCheckpoints checkpoints =
                new TaggerCheckpoints(out, config.keepCheckpoints(), preprocessor);
        MetricsLog log = new MetricsLog(out);
        Engine engine = Engines.engine();
        long total = config.epochs() * stepsPerEpoch();
        LrSchedule schedule =
                new LrSchedule(
                        config.learningRate(),
                        Math.round(config.warmupRatio() * total),
                        total,
                        LrSchedule.Decay.COSINE);
        JsonObject provenance = provenance();
        try (NDManager root = Engines.newManager()) {
            AdamW optimizer =
                    new AdamW(
                            new AdamW.Settings(0.9f, 0.999f, 1e-8f, (float) config.weightDecay()),
                            root);
            ViTForImageClassification model;
            TrainerState state;
            Optional<Path> latest = checkpoints.latest();
            if (resume) {
                Path cp =
                        latest.orElseThrow(
                                () ->
                                        new IOException(
                                                out + ": no checkpoint-<step> folder to resume"));
                model = ViTCheckpoints.load(cp, root);
                if (!model.config().labels().equals(train.labels())) {
                    throw new IllegalArgumentException(
                            cp
                                    + ": checkpoint labels "
                                    + model.config().labels()
                                    + " differ from the dataset's "
                                    + train.labels());
                }
                TaggerCheckpoints.checkSameRun(cp, provenance);
                state = TaggerCheckpoints.readState(cp);
                TaggerCheckpoints.loadOptimizer(cp, optimizer, root);
                log.truncateAfter(state.step());
            } else {
                if (latest.isPresent()) {
                    throw new IllegalArgumentException(
                            out
                                    + " already holds "
                                    + latest.get().getFileName()
                                    + ": pass --resume to continue, or use another folder");
                }
                Files.deleteIfExists(out.resolve(MetricsLog.FILE));
                engine.setRandomSeed(Seeds.mixInt(config.seed(), -1));
                model = newModel(root);
                state = TrainerState.start(config.seed());
            }
            int preprocessed = config.preprocessing().height();
            if (model.config().imageSize() != preprocessed) {
                throw new IllegalArgumentException(
                        "The model takes "
                                + model.config().imageSize()
                                + " px images but preprocessing gives "
                                + preprocessed);
            }
            listener.started(state.step(), total);
            Map<String, Parameter> params = StateDict.parameters(model);
            long lastSaved = resume ? state.step() : -1;
            double lastLoss = Double.NaN;
            TaggingMetrics lastMetrics = null;
            while (state.epoch() < config.epochs()) {
                int[] order = permutation(state.seed(), state.epoch(), train.imageCount());
                while (state.position() < train.imageCount()) {
                    if (config.maxSteps() > 0 && state.step() >= config.maxSteps()) {
                        if (lastSaved != state.step()) {
                            checkpoints.save(
                                    model, optimizer, state, scheduleJson(schedule), provenance);
                        }
                        checkpoints.saveFinal(model, provenance);
                        return new Result(state.step(), false, lastLoss, lastMetrics);
                    }
                    int end = Math.min(state.position() + config.batchSize(), train.imageCount());
                    long t0 = System.nanoTime();
                    double[] lossAndNorm =
                            step(model, params, optimizer, schedule, state, order, end, root);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    int images = end - state.position();
                    double lr = schedule.at(state.step());
                    lastLoss = lossAndNorm[0];
                    state = state.afterStep(end, lastLoss);
                    listener.stepDone(state.step(), total, lastLoss, images / seconds);
                    if (state.step() % config.logEvery() == 0) {
                        JsonObject line = line("step", state);
                        line.addProperty("loss", lastLoss);
                        line.addProperty("lr", lr);
                        line.addProperty("grad_norm", lossAndNorm[1]);
                        line.addProperty("images_per_s", images / seconds);
                        log.append(line);
                    }
                    if (config.checkpointEvery() > 0
                            && state.step() % config.checkpointEvery() == 0
                            && end < train.imageCount()) {
                        checkpoints.save(
                                model, optimizer, state, scheduleJson(schedule), provenance);
                        lastSaved = state.step();
                    }
                }
                lastMetrics = validation == null ? null : validate(model, root);
                double trainLoss = state.epochLoss();
                double score =
                        lastMetrics == null ? Double.NaN : lastMetrics.score(config.selectBy());
                // Ties go to the later checkpoint: same score, more training.
                boolean better =
                        !Double.isNaN(score)
                                && (Double.isNaN(state.bestScore()) || score >= state.bestScore());
                state = state.nextEpoch(better ? score : Double.NaN);
                JsonObject line = line("epoch", state);
                line.addProperty("train_loss", Double.isNaN(trainLoss) ? null : trainLoss);
                if (lastMetrics != null) {
                    line.add("validation", lastMetrics.toJson());
                }
                log.append(line);
                listener.epochDone(state.epoch(), trainLoss, lastMetrics);
                Path cp =
                        checkpoints.save(
                                model, optimizer, state, scheduleJson(schedule), provenance);
                lastSaved = state.step();
                if (better) {
                    checkpoints.copyBest(cp);
                }
            }
            checkpoints.saveFinal(model, provenance);
            return new Result(state.step(), true, lastLoss, lastMetrics);
        }
    }

    private ViTForImageClassification newModel(NDManager root) throws IOException {
        if (config.init() != null) {
            return ViTCheckpoints.loadWithNewHead(
                    config.init(), train.labels(), config.problemType(), root);
        }
        ViTForImageClassification model =
                new ViTForImageClassification(config.scratchModel(train.labels()));
        StateDict.initialize(model, root, DataType.FLOAT32);
        return model;
    }

    /** One optimiser step on images {@code order[state.position() .. end)}; loss and grad norm. */
    private double[] step(
            ViTForImageClassification model,
            Map<String, Parameter> params,
            AdamW optimizer,
            LrSchedule schedule,
            TrainerState state,
            int[] order,
            int end,
            NDManager root)
            throws IOException {
        Engine engine = Engines.engine();
        try (NDManager m = root.newSubManager()) {
            engine.setRandomSeed(Seeds.mixInt(state.seed(), state.step()));
            int[] indices = new int[end - state.position()];
            for (int i = 0; i < indices.length; i++) {
                indices[i] = order[state.position() + i];
            }
            Batch batch = batch(train, indices, state.epoch(), m);
            Gradients.zero(params, m);
            double loss;
            try (GradientCollector gc = engine.newGradientCollector()) {
                ParameterStore ps = new ParameterStore(m, false);
                NDArray logits = model.run(ps, batch.pixels(), true, false, false).logits();
                NDArray l = model.loss(logits, batch.targets());
                gc.backward(l);
                loss = l.getFloat();
            }
            double norm = Gradients.clipGlobalNorm(params, config.maxGradNorm(), m);
            optimizer.update(params, (float) schedule.at(state.step()));
            return new double[] {loss, norm};
        }
    }

    /**
     * Pixels [B, 3, H, W], targets ([B, n] floats, or [B] class ids for single-label) and the
     * multi-hot targets as Java floats.
     */
    private Batch batch(TaggingDataset data, int[] indices, long epoch, NDManager m)
            throws IOException {
        int n = data.labels().size();
        float[] pixels = null;
        float[] multiHot = new float[indices.length * n];
        long[] classes = new long[indices.length];
        int per = -1;
        for (int i = 0; i < indices.length; i++) {
            TaggingDataset.Example ex = data.example(indices[i], epoch);
            if (pixels == null) {
                per = ex.pixels().length;
                pixels = new float[indices.length * per];
            }
            if (ex.pixels().length != per || ex.target().length != n) {
                throw new IllegalArgumentException(
                        "Image " + indices[i] + " has another size or label count than image 0");
            }
            System.arraycopy(ex.pixels(), 0, pixels, i * per, per);
            System.arraycopy(ex.target(), 0, multiHot, i * n, n);
            classes[i] = singleClass(ex.target(), indices[i]);
        }
        int side = (int) Math.round(Math.sqrt(per / 3.0));
        NDArray x = m.create(pixels, new Shape(indices.length, 3, side, side));
        NDArray y =
                config.singleLabel()
                        ? m.create(classes, new Shape(indices.length))
                        : m.create(multiHot, new Shape(indices.length, n));
        return new Batch(x, y, multiHot);
    }

    private record Batch(NDArray pixels, NDArray targets, float[] multiHot) {}

    private long singleClass(float[] target, int index) {
        if (!config.singleLabel()) {
            return 0;
        }
        int found = -1;
        for (int j = 0; j < target.length; j++) {
            if (target[j] > 0.5f) {
                if (found >= 0) {
                    throw new IllegalArgumentException(
                            "Single-label training needs one label per image; image "
                                    + index
                                    + " has several");
                }
                found = j;
            }
        }
        if (found < 0) {
            throw new IllegalArgumentException("Image " + index + " has no label");
        }
        return found;
    }

    private TaggingMetrics validate(ViTForImageClassification model, NDManager root)
            throws IOException {
        int size = validation.imageCount();
        int n = validation.labels().size();
        float[][] probs = new float[size][];
        float[][] targets = new float[size][];
        for (int start = 0; start < size; start += config.batchSize()) {
            int end = Math.min(start + config.batchSize(), size);
            int[] indices = new int[end - start];
            for (int i = 0; i < indices.length; i++) {
                indices[i] = start + i;
            }
            try (NDManager m = root.newSubManager()) {
                Batch batch = batch(validation, indices, 0, m);
                NDArray logits =
                        model.run(new ParameterStore(m, false), batch.pixels(), false, false, false)
                                .logits();
                float[] p =
                        (config.singleLabel()
                                        ? logits.softmax(-1)
                                        : logits.getNDArrayInternal().sigmoid())
                                .toFloatArray();
                for (int i = 0; i < indices.length; i++) {
                    probs[start + i] = Arrays.copyOfRange(p, i * n, (i + 1) * n);
                    targets[start + i] = Arrays.copyOfRange(batch.multiHot(), i * n, (i + 1) * n);
                }
            }
        }
        return TaggingMetrics.compute(
                validation.labels(), probs, targets, config.singleLabel(), config.threshold());
    }

    /** A Fisher-Yates shuffle of 0..n-1 seeded by (seed, epoch). */
    static int[] permutation(long seed, long epoch, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom r = new SplittableRandom(Seeds.mix(seed, epoch, 0x5EED));
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static JsonObject line(String type, TrainerState state) {
        JsonObject o = new JsonObject();
        o.addProperty("type", type);
        o.addProperty("step", state.step());
        o.addProperty("epoch", state.epoch());
        return o;
    }

    private static JsonObject scheduleJson(LrSchedule s) {
        JsonObject o = new JsonObject();
        o.addProperty("type", s.decay().name().toLowerCase(java.util.Locale.ROOT));
        o.addProperty("peak", s.peak());
        o.addProperty("warmup_steps", s.warmupSteps());
        o.addProperty("total_steps", s.totalSteps());
        return o;
    }

    private JsonObject provenance() {
        JsonObject o = new JsonObject();
        o.add("config", config.toJson());
        o.addProperty("seed", config.seed());
        JsonObject data = new JsonObject();
        data.addProperty("train_fingerprint", train.fingerprint());
        data.addProperty("train_images", train.imageCount());
        if (validation != null) {
            data.addProperty("validation_fingerprint", validation.fingerprint());
            data.addProperty("validation_images", validation.imageCount());
        }
        com.google.gson.JsonArray labels = new com.google.gson.JsonArray();
        train.labels().forEach(labels::add);
        data.add("labels", labels);
        o.add("data", data);
        o.addProperty("code_version", "image2music 0.1.0");
        return o;
    }
}
