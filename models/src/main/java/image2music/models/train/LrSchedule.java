package image2music.models.train;

/**
 * Learning rate by step, as transformers' {@code get_*_schedule_with_warmup}: linear warm-up from 0
 * to the peak over {@code warmupSteps}, then cosine (half a cycle) or linear decay to 0 at {@code
 * totalSteps}, or constant. {@code at(s)} is the rate for the update after {@code s} completed
 * updates, so the first update of a warm-up uses 0, as in transformers.
 */
public record LrSchedule(double peak, long warmupSteps, long totalSteps, Decay decay) {

    /** What follows the warm-up. */
    public enum Decay {
        COSINE,
        LINEAR,
        CONSTANT
    }

    public LrSchedule {
        if (!(peak > 0) || warmupSteps < 0 || totalSteps < 1 || warmupSteps > totalSteps) {
            throw new IllegalArgumentException(
                    "Bad schedule: peak "
                            + peak
                            + ", warmup "
                            + warmupSteps
                            + ", total "
                            + totalSteps);
        }
    }

    /** The learning rate after {@code step} completed updates. */
    public double at(long step) {
        if (step < warmupSteps) {
            return peak * step / Math.max(1, warmupSteps);
        }
        // transformers lets the cosine rise again past totalSteps; we hold 0 there.
        double progress =
                Math.min(
                        1.0, (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
        return switch (decay) {
            case COSINE -> peak * Math.max(0, 0.5 * (1 + Math.cos(Math.PI * progress)));
            case LINEAR -> peak * Math.max(0, 1 - progress);
            case CONSTANT -> peak;
        };
    }
}
