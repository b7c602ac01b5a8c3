package image2music.models.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.google.gson.JsonObject;
import image2music.models.nn.GradientCheckpoints;
import image2music.models.nn.SafetensorsFile;
import image2music.models.nn.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loop over a model-agnostic task: a linear regression with EMA, stopped and resumed. */
class TrainingLoopTest {

    private static final int FEATURES = 4;
    private static final int EXAMPLES = 10;

    @TempDir Path dir;

    /** y = x·[1, −2, 3, 0.5] + noise drawn by libtorch (so the per-step seed matters). */
    static final class Regression implements TrainingTask<Double> {
        private final float[][] x = new float[EXAMPLES][FEATURES];
        private final float[] y = new float[EXAMPLES];
        private final Map<String, Parameter> params = new LinkedHashMap<>();

        Regression() {
            SplittableRandom r = new SplittableRandom(3);
            float[] w = {1f, -2f, 3f, 0.5f};
            for (int i = 0; i < EXAMPLES; i++) {
                for (int j = 0; j < FEATURES; j++) {
                    x[i][j] = (float) r.nextGaussian();
                    y[i] += x[i][j] * w[j];
                }
            }
        }

        @Override
        public int exampleCount() {
            return EXAMPLES;
        }

        @Override
        public void initialize(NDManager root) {
            set(root.randomNormal(new Shape(FEATURES)));
        }

        @Override
        public void load(Path checkpoint, NDManager root) throws IOException {
            try (NDManager scratch = root.newSubManager()) {
                NDArray w =
                        SafetensorsFile.read(checkpoint.resolve("w.safetensors"), scratch).get("w");
                NDArray copy = w.duplicate();
                copy.attach(root);
                set(copy);
            }
        }

        private void set(NDArray w) {
            Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
            p.setArray(w);
            w.setRequiresGradient(true);
            params.put("w", p);
        }

        @Override
        public Map<String, Parameter> parameters() {
            return params;
        }

        @Override
        public NDArray loss(
                int[] indices, long epoch, NDManager step, GradientCheckpoints checkpoints) {
            float[] xs = new float[indices.length * FEATURES];
            float[] ys = new float[indices.length];
            for (int i = 0; i < indices.length; i++) {
                System.arraycopy(x[indices[i]], 0, xs, i * FEATURES, FEATURES);
                ys[i] = y[indices[i]];
            }
            NDArray pred =
                    step.create(xs, new Shape(indices.length, FEATURES))
                            .matMul(params.get("w").getArray());
            NDArray noise = step.randomNormal(new Shape(indices.length)).mul(0.01f);
            return pred.sub(step.create(ys).add(noise)).square().mean();
        }

        @Override
        public Double validate(NDManager root, long step) {
            try (NDManager m = root.newSubManager()) {
                float[] xs = new float[EXAMPLES * FEATURES];
                for (int i = 0; i < EXAMPLES; i++) {
                    System.arraycopy(x[i], 0, xs, i * FEATURES, FEATURES);
                }
                NDArray pred =
                        m.create(xs, new Shape(EXAMPLES, FEATURES))
                                .matMul(params.get("w").getArray());
                NDArray mse = pred.sub(m.create(y)).square().mean();
                mse.attach(m);
                return (double) -mse.getFloat();
            }
        }

        @Override
        public double score(Double validation) {
            return validation;
        }

        @Override
        public JsonObject toJson(Double validation) {
            JsonObject o = new JsonObject();
            o.addProperty("neg_mse", validation);
            return o;
        }

        @Override
        public void saveModel(Path out) throws IOException {
            SafetensorsWriter.write(
                    out.resolve("w.safetensors"), Map.of("w", params.get("w").getArray()));
        }

        @Override
        public JsonObject provenance() {
            JsonObject o = new JsonObject();
            o.add("config", args(0).toJson());
            JsonObject data = new JsonObject();
            data.addProperty("examples", EXAMPLES);
            o.add("data", data);
            return o;
        }
    }

    private static TrainingArguments args(long maxSteps) {
        return TrainingArguments.builder()
                .epochs(3)
                .batchSize(3)
                .learningRate(0.05)
                .warmupRatio(0.1)
                .seed(11)
                .checkpointEvery(2)
                .keepCheckpoints(2)
                .logEvery(1)
                .maxSteps(maxSteps)
                .ema(true)
                .emaDecay(0.8)
                .build();
    }

    private static TrainingLoop.Result<Double> train(Path out, long maxSteps, boolean resume)
            throws IOException {
        return new TrainingLoop<>(
                        args(maxSteps),
                        new Regression(),
                        out,
                        List.of(
                                new MetricsLogger<Double>(
                                        out, 1, "examples_per_s", v -> new Regression().toJson(v))))
                .run(resume);
    }

    @Test
    void resumedRunWithEmaEqualsOneRunAndWritesTheKitsFiles() throws IOException {
        Path once = dir.resolve("once");
        TrainingLoop.Result<Double> full = train(once, 0, false);
        assertTrue(full.finished());
        assertEquals(12, full.steps(), "3 epochs of ceil(10 / 3) steps");

        Path twice = dir.resolve("twice");
        assertFalse(train(twice, 5, false).finished());
        assertTrue(Files.isRegularFile(twice.resolve("checkpoint-5").resolve(Checkpoints.EMA)));
        train(twice, 0, true);

        assertArrayEquals(
                Files.readAllBytes(once.resolve("w.safetensors")),
                Files.readAllBytes(twice.resolve("w.safetensors")),
                "final (EMA) weights, one run vs 5 + resumed 7 steps");
        assertEquals(losses(once), losses(twice), "step losses");

        Path cp = once.resolve("checkpoint-12");
        for (String f :
                List.of(
                        "w.safetensors",
                        Checkpoints.OPTIMIZER,
                        Checkpoints.EMA,
                        Checkpoints.STATE,
                        Checkpoints.PROVENANCE)) {
            assertTrue(Files.isRegularFile(cp.resolve(f)), f);
        }
        Path best = once.resolve(Checkpoints.BEST);
        assertTrue(Files.isRegularFile(best.resolve("w.safetensors")));
        assertFalse(Files.exists(best.resolve(Checkpoints.OPTIMIZER)), "best/ holds no state");
        assertFalse(Files.exists(best.resolve(Checkpoints.EMA)));
        assertFalse(Files.exists(best.resolve(Checkpoints.STATE)));
        assertTrue(Files.isRegularFile(best.resolve(Checkpoints.PROVENANCE)));

        // The final model holds the EMA shadow, not the raw weights of the last checkpoint.
        byte[] raw = Files.readAllBytes(cp.resolve("w.safetensors"));
        byte[] averaged = Files.readAllBytes(once.resolve("w.safetensors"));
        assertFalse(java.util.Arrays.equals(raw, averaged), "final weights are the EMA's");
    }

    @Test
    void resumesFromAnOlderCheckpointLackingNewDefaultKeysButNotFromAnotherRun()
            throws IOException {
        Path out = dir.resolve("old");
        train(out, 4, false);
        Path prov = out.resolve("checkpoint-4").resolve(Checkpoints.PROVENANCE);
        JsonObject p =
                com.google.gson.JsonParser.parseString(Files.readString(prov)).getAsJsonObject();
        // Written before the key existed: its default (warm-up on) is what that run did.
        p.getAsJsonObject("config").remove("ema_warmup");
        Files.writeString(prov, p.toString());
        assertTrue(train(out, 0, true).finished());

        Path other = dir.resolve("other");
        train(other, 4, false);
        Path prov2 = other.resolve("checkpoint-4").resolve(Checkpoints.PROVENANCE);
        JsonObject q =
                com.google.gson.JsonParser.parseString(Files.readString(prov2)).getAsJsonObject();
        q.getAsJsonObject("config").addProperty("ema_decay", 0.5);
        Files.writeString(prov2, q.toString());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> train(other, 0, true));
        assertTrue(e.getMessage().contains("ema_decay 0.5 -> 0.8"), e.getMessage());
    }

    private static List<Double> losses(Path out) throws IOException {
        List<Double> l = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve(MetricsLog.FILE))) {
            JsonObject o = com.google.gson.JsonParser.parseString(line).getAsJsonObject();
            if (o.get("type").getAsString().equals("step")) {
                l.add(o.get("loss").getAsDouble());
            }
        }
        return l;
    }
}
