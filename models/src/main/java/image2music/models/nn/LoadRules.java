package image2music.models.nn;

import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * What {@link StateDict#load} tolerates when a checkpoint's keys differ from the model's.
 *
 * @param rename maps a file key to the model's key (e.g. adds a {@code vit.} prefix)
 * @param mayBeMissing model keys that may be absent from the file (they keep their initializer)
 * @param mayBeUnused renamed file keys that may have no model parameter (they are ignored)
 */
public record LoadRules(
        UnaryOperator<String> rename,
        Predicate<String> mayBeMissing,
        Predicate<String> mayBeUnused) {

    /** Every key must match exactly. */
    public static LoadRules strict() {
        return new LoadRules(UnaryOperator.identity(), k -> false, k -> false);
    }
}
