package image2music.models.diffusion.schedulers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.function.DoubleToIntFunction;

/** The forward process of the σ-parameterised (Euler) schedulers: {@code x0 + σ_t·noise}. */
final class SigmaNoise {

    private SigmaNoise() {}

    /** {@code original + noise·σ[index(t_b)]} per batch row b. */
    static NDArray add(
            NDArray original,
            NDArray noise,
            double[] timesteps,
            DoubleToIntFunction index,
            double[] sigmas) {
        NoiseSchedule.checkSameShape(original, noise);
        float[] s = new float[timesteps.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) sigmas[index.applyAsInt(timesteps[i])];
        }
        try (StepScope scope = new StepScope(original)) {
            NDArray x = scope.in(original);
            NDArray n = scope.in(noise);
            NDArray column = perRow(x, s);
            return scope.keep(x.add(n.mul(column)));
        }
    }

    /** {@code values} shaped (B, 1, 1, …) in {@code like}'s manager and type. */
    static NDArray perRow(NDArray like, float[] values) {
        long batch = like.getShape().get(0);
        if (values.length != batch) {
            throw new IllegalArgumentException(
                    values.length + " timesteps for a batch of " + batch);
        }
        long[] dims = new long[like.getShape().dimension()];
        Arrays.fill(dims, 1);
        dims[0] = batch;
        NDArray col = like.getManager().create(values, new Shape(dims));
        return like.getDataType() == DataType.FLOAT32 ? col : col.toType(like.getDataType(), false);
    }
}
