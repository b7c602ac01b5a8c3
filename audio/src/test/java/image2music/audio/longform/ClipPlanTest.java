package image2music.audio.longform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.audio.spectrogram.SpectrogramParams;
import org.junit.jupiter.api.Test;

class ClipPlanTest {

    @Test
    void thirtySecondsInRiffusionClips() {
        ClipPlan plan = ClipPlan.forSeconds(30, 512, 64);
        // 1323000 samples -> 1 + 3000 frames; stride 448; 1 + ceil(2489 / 448) = 7 clips.
        assertEquals(3001, plan.totalFrames());
        assertEquals(7, plan.clipCount());
        assertArrayEquals(new int[] {0, 448, 896, 1344, 1792, 2240, 2688}, plan.starts());
        assertEquals(512, plan.usedFrames(5));
        assertEquals(313, plan.usedFrames(6));
        assertEquals(1_323_000, plan.samples(SpectrogramParams.defaults()));
    }

    @Test
    void oneClipWhenThePieceFits() {
        ClipPlan exact = ClipPlan.forSeconds(5.11, 512, 64);
        assertEquals(512, exact.totalFrames());
        assertEquals(1, exact.clipCount());
        ClipPlan shorter = ClipPlan.forSeconds(2, 512, 64);
        assertEquals(201, shorter.totalFrames());
        assertEquals(1, shorter.clipCount());
        assertEquals(201, shorter.usedFrames(0));
        assertEquals(2, ClipPlan.forSeconds(5.12, 512, 64).clipCount());
    }

    @Test
    void everyFrameCoveredAndLastClipReachesPastTheOverlap() {
        for (int total = 1; total < 2000; total += 37) {
            for (int overlap : new int[] {0, 1, 64, 255}) {
                ClipPlan plan = new ClipPlan(total, 256, overlap);
                int n = plan.clipCount();
                int last = n - 1;
                assertEquals(total, plan.start(last) + plan.usedFrames(last), plan.toString());
                if (n > 1) {
                    assertTrue(plan.usedFrames(last) > overlap, plan.toString());
                    // No superfluous clip: one fewer would not reach the end.
                    assertTrue(plan.start(last - 1) + 256 < total, plan.toString());
                }
            }
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> ClipPlan.forSeconds(0, 512, 64));
        assertThrows(
                IllegalArgumentException.class, () -> ClipPlan.forSeconds(Double.NaN, 512, 64));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new ClipPlan(100, 64, 64));
        assertTrue(e.getMessage().contains("64"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ClipPlan(100, 64, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> new ClipPlan(100, 64, 0).start(2));
    }
}
