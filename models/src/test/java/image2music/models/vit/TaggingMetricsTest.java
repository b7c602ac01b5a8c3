package image2music.models.vit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Validation figures against values worked out by hand. */
class TaggingMetricsTest {

    private static final double EPS = 1e-12;

    @Test
    void multiLabelFiguresMatchHandCounts() {
        float[][] probs = {
            {0.9f, 0.2f, 0.1f}, {0.6f, 0.7f, 0.3f}, {0.4f, 0.8f, 0.2f}, {0.1f, 0.3f, 0.2f}
        };
        float[][] targets = {{1, 0, 0}, {0, 1, 0}, {1, 1, 0}, {0, 0, 0}};
        TaggingMetrics m =
                TaggingMetrics.compute(List.of("a", "b", "c"), probs, targets, false, 0.5f);
        // a: predicted {0, 1}, actual {0, 2}: tp 1, fp 1, fn 1. b: predicted {1, 2}, actual {1, 2}.
        assertArrayEquals(new double[] {0.5, 1, 0}, m.precision(), EPS);
        assertArrayEquals(new double[] {0.5, 1, 0}, m.recall(), EPS);
        assertArrayEquals(new double[] {0.5, 1, 0}, m.f1(), EPS);
        // micro: tp 3, fp 1, fn 1 -> 6 / 8.
        assertEquals(0.75, m.microF1(), EPS);
        assertEquals(0.5, m.macroF1(), EPS);
        // AP a: ranks 0.9 (+), 0.6 (-), 0.4 (+), 0.1 -> (1 + 2/3) / 2. AP b: ranks 0.8 (+), 0.7
        // (+).
        assertEquals((1 + 2.0 / 3) / 2, m.averagePrecision()[0], EPS);
        assertEquals(1, m.averagePrecision()[1], EPS);
        assertTrue(Double.isNaN(m.averagePrecision()[2]), "label without positives has no AP");
        assertEquals(((1 + 2.0 / 3) / 2 + 1) / 2, m.meanAveragePrecision(), EPS);
        assertTrue(
                m.toJson().getAsJsonObject("labels").getAsJsonObject("c").get("ap").isJsonNull());
    }

    @Test
    void singleLabelPredictsTheMostProbableLabelOnly() {
        float[][] probs = {{0.2f, 0.3f}, {0.6f, 0.4f}};
        float[][] targets = {{0, 1}, {0, 1}};
        TaggingMetrics m = TaggingMetrics.compute(List.of("a", "b"), probs, targets, true, 0.5f);
        // Below-threshold argmax still counts: b predicted for image 0 (tp), a for image 1 (fp).
        assertArrayEquals(new double[] {0, 1}, m.precision(), EPS);
        assertArrayEquals(new double[] {0, 0.5}, m.recall(), EPS);
        assertEquals(0.5, m.microF1(), EPS);
    }
}
