package image2music.models.nn;

import java.util.List;

/**
 * Upper bounds on the sizes a model's {@code config.json} may ask for. The file comes from
 * anywhere, and the model is built from it before any weight is read: without a bound, a config
 * asking for 10^8 layers runs for minutes and gigabytes before the weights say it is wrong. Every
 * bound is far above the largest published model of each family (SD-XL, ViT-huge, CLIP-bigG).
 */
public final class ConfigLimits {

    /** Widest hidden / channel dimension. */
    public static final int MAX_WIDTH = 16_384;

    /** Widest MLP dimension. */
    public static final int MAX_INTERMEDIATE = 65_536;

    /** Most layers (transformer layers, ResNet layers per block, resolution levels). */
    public static final int MAX_LAYERS = 256;

    /** Most attention heads. */
    public static final int MAX_HEADS = 256;

    /** Largest image side in pixels or latents. */
    public static final int MAX_IMAGE_SIZE = 8192;

    /** Longest token sequence. */
    public static final int MAX_POSITIONS = 16_384;

    /** Largest vocabulary. */
    public static final int MAX_VOCAB = 1 << 20;

    private ConfigLimits() {}

    /**
     * Returns {@code value} when it is at most {@code max}.
     *
     * @throws IllegalArgumentException naming the config.json field, its value and the bound
     */
    public static int cap(String field, int value, int max) {
        if (value > max) {
            throw new IllegalArgumentException(
                    field
                            + " = "
                            + value
                            + " is over the limit of "
                            + max
                            + " (not a config this code can build)");
        }
        return value;
    }

    /** {@link #cap} for every entry of a list field and for its length. */
    public static void capEach(String field, List<Integer> values, int max, int maxEntries) {
        if (values.size() > maxEntries) {
            throw new IllegalArgumentException(
                    field + " has " + values.size() + " entries, over the limit of " + maxEntries);
        }
        for (int i = 0; i < values.size(); i++) {
            Integer v = values.get(i);
            if (v != null) {
                cap(field + "[" + i + "]", v, max);
            }
        }
    }
}
