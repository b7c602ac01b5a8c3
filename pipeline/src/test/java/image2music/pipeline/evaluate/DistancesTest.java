package image2music.pipeline.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DistancesTest {

    @Test
    void pairwiseNearestAndMedian() {
        float[][] x = {{0, 0}, {3, 4}, {6, 8}};
        assertEquals((5 + 10 + 5) / 3.0, Distances.meanPairwise(x), 1e-9);
        assertEquals(0, Distances.meanPairwise(new float[][] {{1, 1}}));
        assertArrayEquals(
                new double[] {0, 1}, Distances.nearest(new float[][] {{3, 4}, {6, 9}}, x), 1e-9);
        assertEquals(2, Distances.median(new double[] {3, 1, 2}));
        assertEquals(2.5, Distances.median(new double[] {4, 1, 2, 3}));
    }
}
