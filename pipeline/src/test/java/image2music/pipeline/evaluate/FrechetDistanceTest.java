package image2music.pipeline.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FrechetDistanceTest {

    @Test
    void aSetAgainstItselfIsZero() {
        float[][] a = gaussian(200, 8, 1);
        assertEquals(0, FrechetDistance.between(a, a), 1e-6);
    }

    @Test
    void oneDimensionMatchesTheClosedForm() {
        float[][] a = column(1, 2, 4, 7);
        float[][] b = column(-3, 0, 0, 1, 5);
        double ma = 3.5;
        double va = (6.25 + 2.25 + 0.25 + 12.25) / 3;
        double mb = 0.6;
        double vb = (12.96 + 0.36 + 0.36 + 0.16 + 19.36) / 4;
        double expected = (ma - mb) * (ma - mb) + va + vb - 2 * Math.sqrt(va * vb);
        assertEquals(expected, FrechetDistance.between(a, b), 1e-9);
    }

    @Test
    void independentDimensionsAddUp() {
        // Diagonal covariances: the distance is the sum over dimensions of the 1-D distances.
        float[][] a = gaussian(400, 3, 2);
        float[][] b = gaussian(300, 3, 5);
        for (float[] v : b) {
            v[0] = v[0] * 2 + 1;
            v[2] = v[2] * 0.5f - 3;
        }
        double sum = 0;
        for (int d = 0; d < 3; d++) {
            sum += FrechetDistance.between(column(a, d), column(b, d));
        }
        // Sample covariances carry small off-diagonal terms; they change the total only slightly.
        assertEquals(sum, FrechetDistance.between(a, b), 0.05 * sum);
    }

    @Test
    void aShiftAddsItsSquaredLength() {
        float[][] a = gaussian(100, 4, 7);
        float[][] b = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i].clone();
            b[i][1] += 3;
            b[i][3] -= 4;
        }
        assertEquals(25, FrechetDistance.between(a, b), 1e-6);
        assertEquals(FrechetDistance.between(b, a), FrechetDistance.between(a, b), 1e-6);
    }

    @Test
    void jacobiFindsEigenpairs() {
        double[][] m = {{2, 1, 0}, {1, 2, 0}, {0, 0, 5}};
        double[][] v = new double[3][3];
        double[] lambda = FrechetDistance.jacobi(m, v);
        double[] sorted = lambda.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new double[] {1, 3, 5}, sorted, 1e-12);
    }

    @Test
    void refusesTooFewSamplesAndMixedDimensions() {
        assertThrows(
                IllegalArgumentException.class,
                () -> FrechetDistance.between(column(1), column(1, 2)));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        FrechetDistance.between(
                                new float[][] {{1, 2}, {3, 4}}, new float[][] {{1}, {2}}));
    }

    static float[][] gaussian(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[n][d];
        for (float[] v : x) {
            for (int i = 0; i < d; i++) {
                // Box-Muller
                double u = 1 - r.nextDouble();
                v[i] =
                        (float)
                                (Math.sqrt(-2 * Math.log(u))
                                        * Math.cos(2 * Math.PI * r.nextDouble()));
            }
        }
        return x;
    }

    private static float[][] column(double... values) {
        float[][] x = new float[values.length][1];
        for (int i = 0; i < values.length; i++) {
            x[i][0] = (float) values[i];
        }
        return x;
    }

    private static float[][] column(float[][] x, int d) {
        float[][] out = new float[x.length][1];
        for (int i = 0; i < x.length; i++) {
            out[i][0] = x[i][d];
        }
        return out;
    }
}
