package image2music.models.train;

import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/**
 * accelerate's {@code --mixed_precision}: whether a training step computes its matrix products in
 * float16 under {@link image2music.models.nn.Autocast} with a {@link LossScale}, keeping float32
 * weights. On a GPU that is faster and lighter; on a CPU, libtorch 2.5.1's float16 kernels are
 * unoptimised (a {@code --preset tiny} step took over a hundred times as long as in float32), so
 * there it is only for checking a run that will move to a GPU.
 */
public enum MixedPrecision {
    NO(null),
    FP16(DataType.FLOAT16);

    private final DataType computeType;

    MixedPrecision(DataType computeType) {
        this.computeType = computeType;
    }

    /** The autocast type, or null for float32 throughout. */
    public DataType computeType() {
        return computeType;
    }

    /** The name accelerate and our JSON use: {@code no}, {@code fp16}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads {@link #key}; {@code bf16} is refused with the reason.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static MixedPrecision parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("bf16")) {
            throw new IllegalArgumentException(
                    "mixed precision bf16 is not available: DJL's PyTorch engine has no bfloat16"
                            + " type (a cast to it aborts the JVM); use fp16 on a GPU, or no");
        }
        for (MixedPrecision p : values()) {
            if (p.key().equals(t)) {
                return p;
            }
        }
        throw new IllegalArgumentException("mixed precision is no or fp16, got " + text);
    }
}
