package image2music.models.train;

import com.google.gson.JsonObject;

/**
 * Where a {@link TrainingLoop} run stands: updates done, the data position (epoch, and index into
 * that epoch's data order of the next example to read), the run seed, the best validation score so
 * far (NaN before the first validation), the running sum of this epoch's step losses (so a resumed
 * run logs the same epoch mean) and the float16 loss scale. With the optimiser's moments this is
 * all a resumed run needs; the learning rate follows from {@code step}.
 */
public record TrainerState(
        long step,
        long epoch,
        int position,
        long seed,
        double bestScore,
        long bestStep,
        double epochLossSum,
        int epochLossCount,
        LossScale lossScale) {

    /** The state before the first step. */
    public static TrainerState start(long seed) {
        return new TrainerState(0, 0, 0, seed, Double.NaN, -1, 0, 0, LossScale.initial());
    }

    /** The state after one more step that read up to {@code newPosition} with {@code loss}. */
    public TrainerState afterStep(int newPosition, double loss) {
        return new TrainerState(
                step + 1,
                epoch,
                newPosition,
                seed,
                bestScore,
                bestStep,
                epochLossSum + loss,
                epochLossCount + 1,
                lossScale);
    }

    /** The state at the start of the next epoch; {@code newBest} is NaN unless it improved. */
    public TrainerState nextEpoch(double newBest) {
        boolean better = !Double.isNaN(newBest);
        return new TrainerState(
                step,
                epoch + 1,
                0,
                seed,
                better ? newBest : bestScore,
                better ? step : bestStep,
                0,
                0,
                lossScale);
    }

    /** This state with the loss scale of the next step. */
    public TrainerState withLossScale(LossScale next) {
        return new TrainerState(
                step,
                epoch,
                position,
                seed,
                bestScore,
                bestStep,
                epochLossSum,
                epochLossCount,
                next);
    }

    /** Mean step loss of the epoch so far (NaN before its first step). */
    public double epochLoss() {
        return epochLossCount == 0 ? Double.NaN : epochLossSum / epochLossCount;
    }

    /** The state as {@code trainer_state.json} holds it, with the learning-rate schedule. */
    public JsonObject toJson(JsonObject scheduler) {
        JsonObject o = new JsonObject();
        o.addProperty("step", step);
        o.addProperty("epoch", epoch);
        o.addProperty("position", position);
        o.addProperty("seed", seed);
        o.addProperty("best_score", Double.isNaN(bestScore) ? null : bestScore);
        o.addProperty("best_step", bestStep);
        o.addProperty("epoch_loss_sum", epochLossSum);
        o.addProperty("epoch_loss_count", epochLossCount);
        o.add("loss_scale", lossScale.toJson());
        o.add("scheduler", scheduler);
        return o;
    }

    /** Reads {@link #toJson}'s form (the schedule is ignored: it follows from the arguments). */
    public static TrainerState fromJson(JsonObject o) {
        return new TrainerState(
                o.get("step").getAsLong(),
                o.get("epoch").getAsLong(),
                o.get("position").getAsInt(),
                o.get("seed").getAsLong(),
                o.get("best_score").isJsonNull() ? Double.NaN : o.get("best_score").getAsDouble(),
                o.get("best_step").getAsLong(),
                o.get("epoch_loss_sum").getAsDouble(),
                o.get("epoch_loss_count").getAsInt(),
                LossScale.fromJson(o.getAsJsonObject("loss_scale")));
    }
}
