package image2music.models.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import image2music.models.nn.Engines;
import image2music.models.nn.SafetensorsFile;
import image2music.models.nn.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AdamW, clipping and schedules against steps worked out by hand. */
class OptimizationTest {

    @TempDir Path dir;

    private static Map<String, Parameter> params(NDManager m, float[]... values) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            Parameter p =
                    Parameter.builder().setName("p" + i).setType(Parameter.Type.WEIGHT).build();
            NDArray a = m.create(values[i]);
            p.setArray(a);
            a.setRequiresGradient(true);
            out.put("p" + i, p);
        }
        return out;
    }

    /** Gives each parameter the gradient {@code grads[i]} (loss = Σ p·g), clearing old ones. */
    private static void setGradients(Map<String, Parameter> ps, NDManager m, float[]... grads) {
        try (NDManager step = m.newSubManager()) {
            Gradients.zero(ps, step);
            try (GradientCollector gc = Engines.engine().newGradientCollector()) {
                NDArray loss = null;
                int i = 0;
                for (Parameter p : ps.values()) {
                    NDArray term = p.getArray().mul(step.create(grads[i++])).sum();
                    loss = loss == null ? term : loss.add(term);
                }
                gc.backward(loss);
            }
        }
    }

    @Test
    void adamwMatchesTorchsUpdateRuleOverTwoSteps() {
        try (NDManager m = Engines.newManager()) {
            Map<String, Parameter> ps = params(m, new float[] {1f, -2f});
            AdamW opt = new AdamW(new AdamW.Settings(0.9f, 0.999f, 1e-8f, 0.01f), m);
            setGradients(ps, m, new float[] {0.5f, 0.1f});
            opt.update(ps, 0.1f);
            // Step 1: decay x(1 - 0.001); m = 0.1 g; v = 0.001 g²; m̂/√v̂ = sign(g): p -= 0.1.
            assertArrayEquals(
                    new float[] {0.899f, -2.098f}, ps.get("p0").getArray().toFloatArray(), 1e-6f);

            setGradients(ps, m, new float[] {-0.5f, 0.3f});
            opt.update(ps, 0.1f);
            double[] g1 = {0.5, 0.1};
            double[] g2 = {-0.5, 0.3};
            double[] p = {0.899, -2.098};
            for (int i = 0; i < 2; i++) {
                double mm = 0.9 * (0.1 * g1[i]) + 0.1 * g2[i];
                double vv = 0.999 * (0.001 * g1[i] * g1[i]) + 0.001 * g2[i] * g2[i];
                double decayed = p[i] * (1 - 0.1 * 0.01);
                double denom = Math.sqrt(vv) / Math.sqrt(1 - 0.999 * 0.999) + 1e-8;
                p[i] = decayed - 0.1 / (1 - 0.9 * 0.9) * mm / denom;
            }
            assertArrayEquals(
                    new float[] {(float) p[0], (float) p[1]},
                    ps.get("p0").getArray().toFloatArray(),
                    1e-6f);
            assertEquals(2, opt.step());
        }
    }

    /** The multi-tensor kernel and the loop of tensor operations take the same steps. */
    @Test
    void fusedUpdateEqualsTheLoopOfOperations() {
        try (NDManager m = Engines.newManager()) {
            Engines.engine().setRandomSeed(3);
            float[] w0 = m.randomNormal(new Shape(12)).toFloatArray();
            float[] w1 = m.randomNormal(new Shape(5)).toFloatArray();
            Map<String, Parameter> loopParams = params(m, w0, w1);
            Map<String, Parameter> fusedParams = params(m, w0, w1);
            AdamW.Settings s = new AdamW.Settings(0.8f, 0.99f, 1e-6f, 0.05f);
            AdamW loop = new AdamW(s, m, false);
            AdamW fused = new AdamW(s, m, true);
            for (int step = 0; step < 3; step++) {
                float[] g0 = m.randomNormal(new Shape(12)).toFloatArray();
                float[] g1 = m.randomNormal(new Shape(5)).toFloatArray();
                setGradients(loopParams, m, g0, g1);
                setGradients(fusedParams, m, g0, g1);
                loop.update(loopParams, 0.01f);
                fused.update(fusedParams, 0.01f);
            }
            for (String k : List.of("p0", "p1")) {
                assertArrayEquals(
                        loopParams.get(k).getArray().toFloatArray(),
                        fusedParams.get(k).getArray().toFloatArray(),
                        1e-6f,
                        k);
            }
            Map<String, NDArray> a = loop.state();
            Map<String, NDArray> b = fused.state();
            assertEquals(a.keySet(), b.keySet());
            for (String k : a.keySet()) {
                assertArrayEquals(
                        a.get(k).toType(DataType.FLOAT32, false).toFloatArray(),
                        b.get(k).toType(DataType.FLOAT32, false).toFloatArray(),
                        1e-6f,
                        k);
            }
        }
    }

    @Test
    void savedStateResumesIdentically() throws IOException {
        try (NDManager m = Engines.newManager()) {
            Map<String, Parameter> a = params(m, new float[] {1f, 2f, 3f});
            Map<String, Parameter> b = params(m, new float[] {1f, 2f, 3f});
            AdamW optA = new AdamW(AdamW.Settings.defaults(), m);
            setGradients(a, m, new float[] {0.3f, -1f, 2f});
            optA.update(a, 0.01f);
            Path f = dir.resolve("optimizer.safetensors");
            SafetensorsWriter.write(f, optA.state());

            AdamW optB = new AdamW(AdamW.Settings.defaults(), m);
            optB.load(SafetensorsFile.read(f, m));
            b.get("p0").getArray().set(a.get("p0").getArray().toFloatArray());
            assertEquals(1, optB.step());
            for (AdamW o : new AdamW[] {optA, optB}) {
                Map<String, Parameter> ps = o == optA ? a : b;
                setGradients(ps, m, new float[] {-0.2f, 0.4f, 0.1f});
                o.update(ps, 0.01f);
            }
            assertArrayEquals(
                    a.get("p0").getArray().toFloatArray(),
                    b.get("p0").getArray().toFloatArray(),
                    0f);
        }
    }

    @Test
    void clippingScalesAllGradientsByTheGlobalNorm() {
        try (NDManager m = Engines.newManager();
                NDManager scratch = m.newSubManager()) {
            Map<String, Parameter> ps = params(m, new float[] {0f, 0f}, new float[] {0f});
            setGradients(ps, m, new float[] {3f, 4f}, new float[] {12f});
            assertEquals(13.0, Gradients.clipGlobalNorm(ps, 100, scratch), 1e-5);
            assertArrayEquals(
                    new float[] {3f, 4f}, ps.get("p0").getArray().getGradient().toFloatArray(), 0f);
            assertEquals(13.0, Gradients.clipGlobalNorm(ps, 6.5, scratch), 1e-5);
            float k = (float) (6.5 / (13 + 1e-6));
            assertArrayEquals(
                    new float[] {3 * k, 4 * k},
                    ps.get("p0").getArray().getGradient().toFloatArray(),
                    1e-6f);
            assertArrayEquals(
                    new float[] {12 * k},
                    ps.get("p1").getArray().getGradient().toFloatArray(),
                    1e-6f);
        }
    }

    @Test
    void gradientsAccumulateUntilZeroed() {
        try (NDManager m = Engines.newManager();
                NDManager scratch = m.newSubManager()) {
            Map<String, Parameter> ps = params(m, new float[] {1f});
            for (int i = 0; i < 2; i++) {
                try (GradientCollector gc = Engines.engine().newGradientCollector()) {
                    gc.backward(ps.get("p0").getArray().mul(2f).sum());
                }
            }
            assertArrayEquals(
                    new float[] {4f}, ps.get("p0").getArray().getGradient().toFloatArray(), 0f);
            Gradients.zero(ps, scratch);
            assertArrayEquals(
                    new float[] {0f}, ps.get("p0").getArray().getGradient().toFloatArray(), 0f);
        }
    }

    @Test
    void schedulesWarmUpLinearlyThenDecayLikeTransformers() {
        LrSchedule cos = new LrSchedule(1.0, 10, 110, LrSchedule.Decay.COSINE);
        assertEquals(0.0, cos.at(0), 0);
        assertEquals(0.5, cos.at(5), 1e-12);
        assertEquals(1.0, cos.at(10), 1e-12);
        assertEquals(0.5, cos.at(60), 1e-12);
        assertEquals((1 + Math.cos(Math.PI * 0.25)) / 2, cos.at(35), 1e-12);
        assertEquals(0.0, cos.at(110), 1e-12);
        assertEquals(0.0, cos.at(200), 1e-12);
        LrSchedule lin = new LrSchedule(2.0, 0, 100, LrSchedule.Decay.LINEAR);
        assertEquals(2.0, lin.at(0), 1e-12);
        assertEquals(0.5, lin.at(75), 1e-12);
        assertEquals(3.0, new LrSchedule(3.0, 4, 10, LrSchedule.Decay.CONSTANT).at(9), 0);
    }

    @Test
    void accumulatedMicroBatchesStepLikeTheirWholeBatch() throws Exception {
        // loss(batch) = mean over examples of (w · x_i − y_i)²: two micro-batches of two examples
        // accumulated must move w as the batch of four does.
        float[][] xs = {{1, 2}, {0.5f, -1}, {3, 0}, {-2, 1}};
        float[] ys = {1, 0, 2, -1};
        float[][] after = new float[2][];
        for (int run = 0; run < 2; run++) {
            try (NDManager m = Engines.newManager()) {
                Map<String, Parameter> ps = params(m, new float[] {0.3f, -0.2f});
                AdamW adamw = new AdamW(AdamW.Settings.defaults(), m);
                java.util.List<TrainingStep.Loss> micro = new java.util.ArrayList<>();
                int size = run == 0 ? 4 : 2;
                for (int from = 0; from < 4; from += size) {
                    int start = from;
                    micro.add(
                            (step, tape) -> {
                                NDArray w = ps.get("p0").getArray();
                                NDArray x =
                                        step.create(
                                                java.util.Arrays.copyOfRange(
                                                        flatten(xs), 2 * start, 2 * (start + size)),
                                                new ai.djl.ndarray.types.Shape(size, 2));
                                NDArray y =
                                        step.create(
                                                java.util.Arrays.copyOfRange(
                                                        ys, start, start + size));
                                return x.matMul(w).sub(y).square().mean();
                            });
                }
                try (NDManager step = m.newSubManager()) {
                    TrainingStep.run(ps, adamw, 0.1f, 0, step, micro);
                }
                after[run] = ps.get("p0").getArray().toFloatArray();
            }
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(after[0], after[1], 1e-6f);
    }

    private static float[] flatten(float[][] rows) {
        float[] out = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * rows[i].length, rows[i].length);
        }
        return out;
    }
}
