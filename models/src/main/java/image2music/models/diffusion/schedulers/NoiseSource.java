package image2music.models.diffusion.schedulers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import image2music.models.nn.Tensors;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Where a stochastic step (DDPM, Euler ancestral, DDIM with eta > 0) gets its standard-normal
 * draws: a seeded generator, so that a seed reproduces a result exactly on any device, or a fixed
 * list of tensors (to replay a reference run).
 *
 * <p>Stateful: each call consumes draws.
 */
public interface NoiseSource {

    /** The next standard-normal tensor of {@code shape} and {@code type} in {@code manager}. */
    NDArray next(NDManager manager, Shape shape, DataType type);

    /**
     * Draws from a {@link SplittableRandom} seeded with {@code seed}, turned into normals by the
     * Box–Muller transform in double precision. The draws are made in Java, so they do not depend
     * on the device or on libtorch's global generator.
     */
    static NoiseSource seeded(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return (manager, shape, type) -> {
            long size = shape.size();
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("Noise of shape " + shape + " is too large");
            }
            float[] v = new float[(int) size];
            for (int i = 0; i < v.length; i += 2) {
                // 1 - u keeps the logarithm's argument in (0, 1].
                double r = Math.sqrt(-2.0 * Math.log(1.0 - random.nextDouble()));
                double theta = 2.0 * Math.PI * random.nextDouble();
                v[i] = (float) (r * Math.cos(theta));
                if (i + 1 < v.length) {
                    v[i + 1] = (float) (r * Math.sin(theta));
                }
            }
            NDArray a = Tensors.of(manager, v, shape);
            if (type == DataType.FLOAT32) {
                return a;
            }
            NDArray cast = a.toType(type, false);
            a.close();
            return cast;
        };
    }

    /**
     * Replays {@code draws} in order (copies in the caller's manager); asking for more draws than
     * given, or for another shape, is an error.
     */
    static NoiseSource of(List<NDArray> draws) {
        Deque<NDArray> left = new ArrayDeque<>(draws);
        return (manager, shape, type) -> {
            NDArray d = left.poll();
            if (d == null) {
                throw new IllegalStateException(
                        "NoiseSource ran out after " + draws.size() + " draws");
            }
            if (!d.getShape().equals(shape)) {
                throw new IllegalArgumentException(
                        "Expected a noise draw of shape " + shape + ", found " + d.getShape());
            }
            NDArray copy =
                    Tensors.of(manager, d.toType(DataType.FLOAT32, false).toFloatArray(), shape);
            if (type == DataType.FLOAT32) {
                return copy;
            }
            NDArray cast = copy.toType(type, false);
            copy.close();
            return cast;
        };
    }
}
