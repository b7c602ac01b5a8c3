package image2music.pipeline.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WilsonIntervalTest {

    @Test
    void matchesTheWilsonScoreFormula() {
        // Reference values from the closed form (p + z²/2n ± z·sqrt(p(1−p)/n + z²/4n²)) / (1 +
        // z²/n).
        check(WilsonInterval.of(0.5, 100), 0.40383, 0.59617);
        check(WilsonInterval.of(17 / 24.0, 24), 0.50832, 0.85085);
        check(WilsonInterval.of(0.9, 240), 0.85552, 0.93188);
    }

    @Test
    void allOrNothingStillLeavesRoomForError() {
        check(WilsonInterval.of(0, 10), 0, 0.27753);
        check(WilsonInterval.of(1, 10), 0.72247, 1);
    }

    @Test
    void moreTrialsNarrowIt() {
        WilsonInterval few = WilsonInterval.of(0.7, 24);
        WilsonInterval many = WilsonInterval.of(0.7, 240);
        assertTrue(many.high() - many.low() < (few.high() - few.low()) / 2, few + " " + many);
    }

    @Test
    void noTrialsHaveNoInterval() {
        assertTrue(Double.isNaN(WilsonInterval.of(0.5, 0).low()));
    }

    private static void check(WilsonInterval w, double low, double high) {
        assertEquals(low, w.low(), 1e-5, w.toString());
        assertEquals(high, w.high(), 1e-5, w.toString());
    }
}
