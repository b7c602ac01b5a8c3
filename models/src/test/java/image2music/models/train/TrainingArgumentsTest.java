package image2music.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

/** The shared training arguments: defaults, JSON round trip, unknown keys, checks. */
class TrainingArgumentsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        TrainingArguments d = TrainingArguments.defaults();
        assertEquals(10, d.epochs());
        assertEquals(16, d.batchSize());
        assertEquals(3e-4, d.learningRate());
        assertEquals(LrSchedule.Decay.COSINE, d.lrSchedule());
        assertEquals(0.1, d.warmupRatio());
        assertEquals(42, d.seed());
        assertEquals(500, d.checkpointEvery());
        assertEquals(false, d.ema());
    }

    @Test
    void jsonRoundTripKeepsUnknownKeys() {
        TrainingArguments a =
                TrainingArguments.builder()
                        .epochs(3)
                        .lrSchedule(LrSchedule.Decay.LINEAR)
                        .ema(true)
                        .emaDecay(0.995)
                        .build();
        JsonObject json = a.toJson();
        assertEquals("linear", json.get("lr_schedule").getAsString());
        json.addProperty("gradient_checkpointing", true);
        TrainingArguments back = TrainingArguments.fromJson(json);
        assertEquals(3, back.epochs());
        assertEquals(LrSchedule.Decay.LINEAR, back.lrSchedule());
        assertEquals(0.995, back.emaDecay());
        assertTrue(back.extra().get("gradient_checkpointing").getAsBoolean());
        assertEquals(json, back.toJson(), "unknown keys are written back");
    }

    @Test
    void absentKeysTakeTheDefaults() {
        TrainingArguments a =
                TrainingArguments.fromJson(
                        JsonParser.parseString("{\"seed\": 7}").getAsJsonObject());
        assertEquals(a, TrainingArguments.defaults().toBuilder().seed(7).build());
    }

    @Test
    void scheduleSpansTheStepsWithTheWarmupShare() {
        LrSchedule s = TrainingArguments.builder().warmupRatio(0.2).build().schedule(12);
        assertEquals(2, s.warmupSteps());
        assertEquals(12, s.totalSteps());
    }

    @Test
    void refusesBadValuesNamingThem() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> TrainingArguments.builder().batchSize(0).build());
        assertTrue(e.getMessage().contains("0"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> TrainingArguments.builder().emaDecay(1.5).build());
    }
}
