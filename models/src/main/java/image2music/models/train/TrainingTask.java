package image2music.models.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.google.gson.JsonObject;
import image2music.models.nn.GradientCheckpoints;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * What {@link TrainingLoop} needs from a model and its data: build or load the model, the trainable
 * parameters, a batch's loss, validation and the model's files. The loop owns everything else
 * (order, steps, optimiser, schedule, EMA, checkpoints, resumption).
 *
 * @param <M> the validation result (e.g. tagging metrics)
 */
public interface TrainingTask<M> {

    /** Examples in one epoch (indices 0 … n−1). */
    int exampleCount();

    /**
     * The order in which epoch {@code epoch} reads the examples; a pure function of its arguments
     * so that a resumed run reads the same batches. Default: a seeded shuffle.
     */
    default int[] order(long seed, long epoch) {
        return DataOrder.permutation(seed, epoch, exampleCount());
    }

    /** Builds the model from scratch (libtorch's seed is already derived from the run seed). */
    void initialize(NDManager root) throws IOException;

    /** Loads the model of {@code checkpoint} to resume from it. */
    void load(Path checkpoint, NDManager root) throws IOException;

    /** The parameters by state-dict key; those requiring gradients are trained. */
    Map<String, Parameter> parameters();

    /**
     * The scalar loss of the examples {@code indices} (as read in {@code epoch}), forward in
     * training mode, every array in {@code step}; a model that checkpoints its gradients runs its
     * segments through {@code checkpoints}, others ignore it.
     */
    NDArray loss(int[] indices, long epoch, NDManager step, GradientCheckpoints checkpoints)
            throws IOException;

    /**
     * Whether validation should see the EMA weights (when an EMA is kept): true for generators,
     * whose samples show what the final, averaged model will draw.
     */
    default boolean validatesWithEma() {
        return false;
    }

    /**
     * Validates the current weights after {@code step} optimiser steps; null when there is nothing
     * to validate on.
     */
    M validate(NDManager root, long step) throws IOException;

    /** The figure that picks {@code best/} (higher is better); NaN for none. */
    double score(M validation);

    /** The validation as the {@code validation} field of an epoch line in metrics.jsonl. */
    JsonObject toJson(M validation);

    /** Writes the model's own files (config, weights…) into {@code dir}. */
    void saveModel(Path dir) throws IOException;

    /**
     * Writes what a checkpoint must hold of the model into {@code dir}: by default the whole model;
     * a task that freezes most of its weights (a fine-tune, LoRA) writes only what it trains and
     * rebuilds the rest in {@link #load}.
     */
    default void saveCheckpoint(Path dir) throws IOException {
        saveModel(dir);
    }

    /**
     * What identifies the run ({@code config}, {@code seed}, {@code data}, {@code code_version}):
     * written beside every saved model and compared on resume ({@link RunIdentity}).
     */
    JsonObject provenance();
}
