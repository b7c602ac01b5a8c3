package image2music.models.train;

import com.google.gson.JsonObject;

/**
 * Dynamic loss scaling for float16 training, as PyTorch's {@code GradScaler}: the loss is
 * multiplied by {@code scale} before the backward pass so that small gradients survive half
 * precision; a step whose gradients overflow is skipped and halves the scale, and every {@value
 * #GROWTH_INTERVAL} steps in a row without overflow double it.
 *
 * @param scale the factor the next step's loss is multiplied by
 * @param goodSteps steps without overflow since the scale last changed
 */
public record LossScale(double scale, int goodSteps) {

    /** GradScaler's defaults. */
    public static final double INITIAL_SCALE = 65536;

    public static final int GROWTH_INTERVAL = 2000;

    public LossScale {
        if (!(scale > 0) || Double.isInfinite(scale) || goodSteps < 0) {
            throw new IllegalArgumentException("bad loss scale " + scale + " / " + goodSteps);
        }
    }

    /** The scale a run starts with. */
    public static LossScale initial() {
        return new LossScale(INITIAL_SCALE, 0);
    }

    /** The scale after a step whose gradients were {@code finite} (or overflowed). */
    public LossScale after(boolean finite) {
        if (!finite) {
            return new LossScale(scale / 2, 0);
        }
        return goodSteps + 1 >= GROWTH_INTERVAL
                ? new LossScale(scale * 2, 0)
                : new LossScale(scale, goodSteps + 1);
    }

    JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("scale", scale);
        o.addProperty("good_steps", goodSteps);
        return o;
    }

    static LossScale fromJson(JsonObject o) {
        return o == null
                ? initial()
                : new LossScale(o.get("scale").getAsDouble(), o.get("good_steps").getAsInt());
    }
}
