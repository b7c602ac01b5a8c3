package image2music.models.vit;

import image2music.models.train.MetricsLogger;
import image2music.models.train.TaggingDataset;
import image2music.models.train.TrainerState;
import image2music.models.train.TrainingListener;
import image2music.models.train.TrainingLoop;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Trains a {@link ViTForImageClassification} to tag images: AdamW with warm-up + cosine decay,
 * global-norm clipping, validation and checkpoints at each epoch end, exact resumption.
 *
 * <p>A {@link TaggerTask} on the shared {@link TrainingLoop}, which gives exact resumption: the
 * epoch's shuffle, each image's augmentation (drawn by the dataset from seed, epoch and index) and
 * each step's libtorch seed (dropout) are derived from the run seed, and a checkpoint holds all the
 * rest. Writes checkpoint-&lt;step&gt;/, best/, the final HF model folder and metrics.jsonl.
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
            long steps,
            boolean finished,
            double lastLoss,
            TaggingMetrics lastMetrics,
            boolean wasDone) {}

    private final TaggerTrainingConfig config;
    private final TaggingDataset train;
    private final TaggingDataset validation;
    private final Path out;
    private final Listener listener;

    /**
     * @param validation held-out images with the same labels, or null / empty for none (then no
     *     metrics and no {@code best} folder)
     */
    public TaggerTrainer(
            TaggerTrainingConfig config,
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
        return loop(List.of()).stepsPerEpoch();
    }

    /**
     * Trains into {@code out}; with {@code resume}, continues from its newest checkpoint.
     *
     * @throws IOException when a file cannot be read or written, or {@code resume} finds no
     *     checkpoint
     */
    public Result run(boolean resume) throws IOException {
        TrainingLoop.Result<TaggingMetrics> r =
                loop(List.of(
                                new MetricsLogger<>(
                                        out,
                                        config.training().logEvery(),
                                        "images_per_s",
                                        TaggingMetrics::toJson),
                                new Progress(listener)))
                        .run(resume);
        return new Result(r.steps(), r.finished(), r.lastLoss(), r.lastValidation(), r.wasDone());
    }

    private TrainingLoop<TaggingMetrics> loop(List<TrainingListener<TaggingMetrics>> listeners) {
        return new TrainingLoop<>(
                config.training(), new TaggerTask(config, train, validation), out, listeners);
    }

    /** Hands the loop's events to a {@link Listener}. */
    private record Progress(Listener to) implements TrainingListener<TaggingMetrics> {
        @Override
        public void started(TrainerState state, long totalSteps, boolean resumed) {
            to.started(state.step(), totalSteps);
        }

        @Override
        public void stepDone(TrainerState state, long totalSteps, StepInfo step) {
            to.stepDone(state.step(), totalSteps, step.loss(), step.throughput());
        }

        @Override
        public void epochDone(TrainerState state, double trainLoss, TaggingMetrics metrics) {
            to.epochDone(state.epoch(), trainLoss, metrics);
        }
    }
}
