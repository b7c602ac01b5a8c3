package image2music.models.vit;

import com.google.gson.JsonObject;

/**
 * Where a {@link TaggerTrainer} run stands: updates done, the data position (epoch, and index into
 * that epoch's permutation of the next image to read), the run seed and the best validation score
 * so far (NaN before the first validation). With the optimiser's moments this is all a resumed run
 * needs; the learning rate follows from {@code step}.
 */
public record TrainerState(
        long step, long epoch, int position, long seed, double bestScore, long bestStep) {

    /** The state before the first step. */
    public static TrainerState start(long seed) {
        return new TrainerState(0, 0, 0, seed, Double.NaN, -1);
    }

    JsonObject toJson(JsonObject scheduler) {
        JsonObject o = new JsonObject();
        o.addProperty("step", step);
        o.addProperty("epoch", epoch);
        o.addProperty("position", position);
        o.addProperty("seed", seed);
        o.addProperty("best_score", Double.isNaN(bestScore) ? null : bestScore);
        o.addProperty("best_step", bestStep);
        o.add("scheduler", scheduler);
        return o;
    }

    static TrainerState fromJson(JsonObject o) {
        return new TrainerState(
                o.get("step").getAsLong(),
                o.get("epoch").getAsLong(),
                o.get("position").getAsInt(),
                o.get("seed").getAsLong(),
                o.get("best_score").isJsonNull() ? Double.NaN : o.get("best_score").getAsDouble(),
                o.get("best_step").getAsLong());
    }
}
