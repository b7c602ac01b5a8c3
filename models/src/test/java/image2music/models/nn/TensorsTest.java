package image2music.models.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Backward passes through arithmetic with numbers, after the garbage collector has had every chance
 * to free what DJL wrapped and malloc has handed that memory out again: DJL's own {@code
 * x.mul(0.5f)} fails this (its gradient reads the scribbled memory), {@link Tensors} must not.
 */
class TensorsTest {

    @Test
    void gradientsOfScalarArithmeticSurviveGarbageCollection() throws InterruptedException {
        check((x, c) -> Tensors.mul(x, c), 0.5, new float[] {0.5f, 0.5f, 0.5f});
        check((x, c) -> Tensors.div(x, c), 4, new float[] {0.25f, 0.25f, 0.25f});
        check((x, c) -> Tensors.pow(x, c), 2, new float[] {-2f, 2f, 6f});
        check((x, c) -> Tensors.maximum(x, c), 0, new float[] {0f, 1f, 1f});
    }

    @Test
    void ownedTensorOutlivesItsJavaArray() throws InterruptedException {
        try (NDManager m = Engines.newManager()) {
            NDArray view;
            try (NDManager inner = m.newSubManager()) {
                view = Tensors.of(inner, new float[] {1, 2, 3, 4}, new Shape(4)).reshape(2, 2);
                view.attach(m);
            }
            List<ByteBuffer> scribbles = scribbleOverFreedMemory(16);
            assertArrayEquals(new float[] {1, 2, 3, 4}, view.toFloatArray());
            scribbles.clear();
        }
    }

    private static void check(
            BiFunction<NDArray, Double, NDArray> op, double c, float[] expectedGradient)
            throws InterruptedException {
        try (NDManager m = Engines.newManager()) {
            NDArray x = m.create(new float[] {-1, 1, 3});
            x.setRequiresGradient(true);
            List<ByteBuffer> scribbles;
            try (GradientCollector gc = Engines.engine().newGradientCollector()) {
                NDArray y = op.apply(x, c).sum();
                scribbles = scribbleOverFreedMemory(4);
                gc.backward(y);
            }
            assertArrayEquals(expectedGradient, x.getGradient().toFloatArray(), 1e-6f);
            scribbles.clear();
        }
    }

    /** Lets the GC free unreachable direct buffers, then fills blocks of that size with NaN. */
    private static List<ByteBuffer> scribbleOverFreedMemory(int bytes) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(30); // the Cleaner frees direct memory on its own thread
        }
        List<ByteBuffer> held = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
            while (b.remaining() >= 4) {
                b.putFloat(Float.NaN);
            }
            held.add(b);
        }
        return held;
    }
}
