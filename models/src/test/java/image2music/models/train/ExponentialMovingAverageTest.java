package image2music.models.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import image2music.models.nn.Engines;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The EMA's decay schedule and update against diffusers' formulas worked out by hand. */
class ExponentialMovingAverageTest {

    private static final double TOLERANCE = 1e-6;

    @Test
    void decayWarmsUpAsDiffusersAndIsCapped() {
        try (NDManager m = Engines.newManager()) {
            var ratio =
                    new ExponentialMovingAverage(
                            0.9, ExponentialMovingAverage.Warmup.STEP_RATIO, m);
            assertEquals(0, ratio.decay(1), "first update copies the weights");
            // s = updates - 1: (1 + s) / (10 + s)
            assertEquals(2.0 / 11, ratio.decay(2), TOLERANCE);
            assertEquals(6.0 / 15, ratio.decay(6), TOLERANCE);
            assertEquals(0.9, ratio.decay(1000), TOLERANCE, "capped at the maximum decay");
            var power =
                    new ExponentialMovingAverage(0.999, ExponentialMovingAverage.Warmup.POWER, m);
            assertEquals(1 - Math.pow(1 + 4, -2.0 / 3), power.decay(5), TOLERANCE);
            var none = new ExponentialMovingAverage(0.99, ExponentialMovingAverage.Warmup.NONE, m);
            assertEquals(0, none.decay(1));
            assertEquals(0.99, none.decay(2), TOLERANCE);
        }
    }

    @Test
    void shadowIsDecayTimesShadowPlusRestTimesParameter() {
        try (NDManager m = Engines.newManager()) {
            Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
            NDArray a = m.create(new float[] {1f, -2f});
            p.setArray(a);
            a.setRequiresGradient(true);
            Map<String, Parameter> ps = new LinkedHashMap<>();
            ps.put("w", p);
            var ema =
                    new ExponentialMovingAverage(
                            0.5, ExponentialMovingAverage.Warmup.STEP_RATIO, m);
            ema.initialize(ps);

            a.set(new float[] {3f, 0f});
            ema.update(ps, 1); // decay 0: the shadow takes the weights
            assertArrayEquals(new float[] {3f, 0f}, ema.state().get("w").toFloatArray(), 1e-6f);

            a.set(new float[] {5f, 4f});
            ema.update(ps, 2); // decay 2/11
            float d = 2f / 11;
            float[] expected = {d * 3 + (1 - d) * 5, d * 0 + (1 - d) * 4};
            assertArrayEquals(expected, ema.state().get("w").toFloatArray(), 1e-6f);

            a.set(new float[] {1f, 1f});
            ema.update(ps, 100); // capped at 0.5
            float[] capped = {0.5f * expected[0] + 0.5f, 0.5f * expected[1] + 0.5f};
            assertArrayEquals(capped, ema.state().get("w").toFloatArray(), 1e-6f);

            ema.copyTo(ps);
            assertArrayEquals(capped, a.toFloatArray(), 0f);
        }
    }

    @Test
    void stateRoundTripsThroughLoad() {
        try (NDManager m = Engines.newManager()) {
            var ema = new ExponentialMovingAverage(0.9, ExponentialMovingAverage.Warmup.NONE, m);
            Map<String, NDArray> state = new LinkedHashMap<>();
            state.put("w", m.create(new float[] {0.25f, 7f}));
            ema.load(state);
            assertArrayEquals(new float[] {0.25f, 7f}, ema.state().get("w").toFloatArray(), 0f);
        }
    }
}
