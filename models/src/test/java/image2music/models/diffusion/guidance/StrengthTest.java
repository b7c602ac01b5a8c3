package image2music.models.diffusion.guidance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StrengthTest {

    /** A 10-step DDIM-like grid (leading spacing, 1000 training steps). */
    static final double[] GRID = {901, 801, 701, 601, 501, 401, 301, 201, 101, 1};

    @Test
    void selectsTheLastStepsLikeDiffusers() {
        assertEquals(25, new Strength(0.5).initSteps(50));
        assertEquals(25, new Strength(0.5).startIndex(50));
        // 50 * 0.3 = 15.000000000000002 and 100 * 0.29 = 28.999999999999996 in doubles; Python's
        // int() truncates both.
        assertEquals(15, new Strength(0.3).initSteps(50));
        assertEquals(28, new Strength(0.29).initSteps(100));
        assertEquals(72, new Strength(0.29).startIndex(100));
        assertEquals(50, new Strength(1).initSteps(50));
        assertEquals(0, new Strength(1).startIndex(50));
        assertEquals(0, new Strength(0).initSteps(50));
        assertEquals(50, new Strength(0).startIndex(50));
    }

    @Test
    void slicesTheSchedulerGrid() {
        assertArrayEquals(
                new double[] {401, 301, 201, 101, 1}, new Strength(0.5).timesteps(GRID, 10));
        assertArrayEquals(new double[] {201, 101, 1}, new Strength(0.35).timesteps(GRID, 10));
        assertArrayEquals(GRID, new Strength(1).timesteps(GRID, 10));
        assertEquals(0, new Strength(0).timesteps(GRID, 10).length);
        // PNDM's grid has steps + 1 entries; the slice starts at the same index and keeps the rest.
        double[] pndm = {901, 851, 801, 701, 601, 501, 401, 301, 201, 101, 1};
        assertArrayEquals(
                new double[] {401, 301, 201, 101, 1}, new Strength(0.4).timesteps(pndm, 10));
    }

    @Test
    void rejectsValuesOutsideZeroOneNamingThem() {
        for (double bad : new double[] {-0.1, 1.5, Double.NaN}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> new Strength(bad));
            assertTrue(e.getMessage().contains(String.valueOf(bad)), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new Strength(0.5).initSteps(0));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Strength(0.5).timesteps(new double[] {1, 2}, 10));
    }
}
