package image2music.models.train;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Hears what {@link TrainingLoop} does (progress bars, metrics.jsonl, plots); all methods optional.
 * Listeners are called in the order given to the loop.
 *
 * @param <M> the task's validation result
 */
public interface TrainingListener<M> {

    /** One step's figures: loss, learning rate, gradient norm, examples read and seconds taken. */
    record StepInfo(double loss, double lr, double gradNorm, int examples, double seconds) {
        /** Examples per second. */
        public double throughput() {
            return examples / seconds;
        }
    }

    /**
     * Training starts ({@code resumed}: from a checkpoint) at {@code state} of {@code totalSteps}.
     */
    default void started(TrainerState state, long totalSteps, boolean resumed) throws IOException {}

    /** One optimiser step is done; {@code state} is the state after it. */
    default void stepDone(TrainerState state, long totalSteps, StepInfo step) throws IOException {}

    /**
     * An epoch ended; {@code state} is at the next epoch's start, {@code validation} null without
     * validation data.
     */
    default void epochDone(TrainerState state, double trainLoss, M validation) throws IOException {}

    /**
     * A validation every {@code validate_every} steps ran ({@code state}: after the step it
     * follows); epoch-end validations come with {@link #epochDone}.
     */
    default void validated(TrainerState state, M validation) throws IOException {}

    /** A checkpoint was written. */
    default void checkpointSaved(Path checkpoint, TrainerState state) throws IOException {}
}
