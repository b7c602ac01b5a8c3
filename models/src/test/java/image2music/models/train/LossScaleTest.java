package image2music.models.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.google.gson.JsonObject;
import image2music.models.nn.Engines;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Dynamic loss scaling and the float16 switch, as PyTorch's GradScaler and accelerate have them.
 */
class LossScaleTest {

    @Test
    void theScaleHalvesOnOverflowAndDoublesAfterAnIntervalOfGoodSteps() {
        LossScale s = LossScale.initial();
        assertEquals(65536, s.scale());
        for (int i = 0; i < LossScale.GROWTH_INTERVAL - 1; i++) {
            s = s.after(true);
        }
        assertEquals(new LossScale(65536, LossScale.GROWTH_INTERVAL - 1), s);
        s = s.after(true);
        assertEquals(new LossScale(131072, 0), s);
        s = s.after(true).after(false);
        assertEquals(new LossScale(65536, 0), s);
    }

    @Test
    void anOverflowedStepLeavesTheWeightsAsTheyWere() throws Exception {
        try (NDManager m = Engines.newManager()) {
            Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
            NDArray w = m.create(new float[] {0.25f, -1.5f});
            p.setArray(w);
            w.setRequiresGradient(true);
            Map<String, Parameter> params = Map.of("w", p);
            AdamW adamw = new AdamW(AdamW.Settings.defaults(), m);
            List<TrainingStep.Loss> loss = List.of((step, tape) -> w.square().sum());
            TrainingStep.Result r;
            try (NDManager step = m.newSubManager()) {
                // Beyond float32's range, as a scale too large for float16 is beyond its range.
                r = TrainingStep.run(params, adamw, 0.1f, 1, step, loss, 1e39);
            }
            assertTrue(r.skipped());
            assertArrayEquals(new float[] {0.25f, -1.5f}, w.toFloatArray());
            try (NDManager step = m.newSubManager()) {
                r = TrainingStep.run(params, adamw, 0.1f, 0, step, loss, 1024);
            }
            assertFalse(r.skipped());
            // The first real update of AdamW moves each weight by lr against its gradient's sign.
            assertArrayEquals(new float[] {0.15f, -1.4f}, w.toFloatArray(), 2e-3f);
        }
    }

    @Test
    void theTrainerStateKeepsTheScaleAndOldStatesStartFresh() {
        TrainerState s = TrainerState.start(7).withLossScale(new LossScale(512, 12));
        JsonObject json = s.toJson(new JsonObject());
        assertEquals(s, TrainerState.fromJson(json));
        json.remove("loss_scale");
        assertEquals(LossScale.initial(), TrainerState.fromJson(json).lossScale());
    }

    @Test
    void mixedPrecisionReadsAccelerateNamesAndRefusesBf16WithItsReason() {
        assertEquals(MixedPrecision.FP16, MixedPrecision.parse("fp16"));
        assertEquals(MixedPrecision.NO, MixedPrecision.parse("NO"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> MixedPrecision.parse("bf16"));
        assertTrue(e.getMessage().contains("bfloat16"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MixedPrecision.parse("fp8"));
        TrainingArguments a =
                TrainingArguments.builder().mixedPrecision(MixedPrecision.FP16).build();
        assertEquals(a, TrainingArguments.fromJson(a.toJson()));
        assertEquals("fp16", a.toJson().get("mixed_precision").getAsString());
    }
}
