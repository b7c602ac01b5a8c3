package image2music.models.diffusion.guidance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import image2music.models.nn.Engines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InterpolationTest {

    static final float EPS = 1e-6f;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = Engines.newManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private NDArray vec(float... v) {
        return manager.create(v);
    }

    @Test
    void lerpOfEmbeddingsIsElementwise() {
        NDArray a = manager.create(new float[] {0, 1, 2, 3, 4, 5}, new Shape(1, 3, 2));
        NDArray b = manager.create(new float[] {10, 10, 10, -3, 0, 5}, new Shape(1, 3, 2));
        NDArray mid = Interpolation.lerp(a, b, 0.25);
        assertEquals(new Shape(1, 3, 2), mid.getShape());
        assertArrayEquals(new float[] {2.5f, 3.25f, 4f, 1.5f, 3f, 5f}, mid.toFloatArray(), EPS);
        assertArrayEquals(a.toFloatArray(), Interpolation.lerp(a, b, 0).toFloatArray(), 0);
        assertArrayEquals(b.toFloatArray(), Interpolation.lerp(a, b, 1).toFloatArray(), 0);
    }

    @Test
    void slerpFollowsTheArc() {
        NDArray x = vec(1, 0);
        NDArray y = vec(0, 1);
        float h = (float) Math.sqrt(0.5);
        assertArrayEquals(new float[] {h, h}, Interpolation.slerp(x, y, 0.5).toFloatArray(), EPS);
        // A third of 90 degrees: (cos 30, sin 30).
        assertArrayEquals(
                new float[] {(float) Math.sqrt(3) / 2, 0.5f},
                Interpolation.slerp(x, y, 1 / 3.0).toFloatArray(),
                EPS);
        assertArrayEquals(new float[] {1, 0}, Interpolation.slerp(x, y, 0).toFloatArray(), EPS);
        assertArrayEquals(new float[] {0, 1}, Interpolation.slerp(x, y, 1).toFloatArray(), EPS);
        // Unequal norms: 120 degrees apart, halfway is 60 degrees from each, weights 1 and 1.
        NDArray u = vec(2, 0);
        NDArray v = vec(-0.5f, (float) Math.sqrt(3) / 2);
        assertArrayEquals(
                new float[] {1.5f, (float) Math.sqrt(3) / 2},
                Interpolation.slerp(u, v, 0.5).toFloatArray(),
                1e-5f);
    }

    @Test
    void slerpKeepsTheNormOfUnitNoiseButLerpShrinksIt() {
        NDArray a = manager.randomNormal(new Shape(4, 8, 8));
        NDArray b = manager.randomNormal(new Shape(4, 8, 8));
        a = a.div(a.norm());
        b = b.div(b.norm());
        double slerpNorm = Interpolation.slerp(a, b, 0.5).norm().getFloat();
        double lerpNorm = Interpolation.lerp(a, b, 0.5).norm().getFloat();
        assertEquals(1, slerpNorm, 1e-5);
        assertTrue(lerpNorm < 0.85, "lerp norm " + lerpNorm);
    }

    @Test
    void nearlyParallelVectorsFallBackToLerp() {
        // cos = 1 / sqrt(1 + 1e-4) = 0.99995 > 0.9995
        NDArray x = vec(1, 0);
        NDArray y = vec(1, 0.01f);
        assertArrayEquals(
                new float[] {1, 0.005f}, Interpolation.slerp(x, y, 0.5).toFloatArray(), EPS);
        // Opposite vectors too (|cos| = 1): the midpoint is the origin, as in Riffusion.
        assertArrayEquals(
                new float[] {0, 0},
                Interpolation.slerp(vec(1, 0), vec(-1, 0), 0.5).toFloatArray(),
                EPS);
        assertEquals(0.99995, Interpolation.cosine(x, y), 1e-6);
    }

    @Test
    void rejectsBadTAndShapes() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Interpolation.slerp(vec(1, 0), vec(0, 1), 1.5));
        assertTrue(e.getMessage().contains("1.5"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> Interpolation.lerp(vec(1, 0), vec(0, 1), Double.NaN));
        assertThrows(
                IllegalArgumentException.class,
                () -> Interpolation.lerp(vec(1, 0), vec(0, 1, 2), 0.5));
    }
}
