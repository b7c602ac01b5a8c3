package image2music.models.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import image2music.models.diffusion.UNet2DConditionModel;
import image2music.models.diffusion.pipeline.TinyPipelines;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** float16 autocast: half-precision products, float32 weights and gradients. */
class AutocastTest {

    private static final float LOSS_SCALE = 1024;

    private record Pass(float loss, Map<String, float[]> grads, DataType gradType) {}

    @Test
    void theUNetTrainsInHalfPrecisionCloseToFloat32() {
        try (NDManager m = Engines.newManager()) {
            Engines.engine().setRandomSeed(11);
            UNet2DConditionModel unet = new UNet2DConditionModel(TinyPipelines.unetConfig());
            unet.initialize(m, DataType.FLOAT32);
            NDArray x = m.randomNormal(new Shape(2, 4, 8, 8));
            NDArray target = m.randomNormal(new Shape(2, 4, 8, 8));
            NDArray text = m.randomNormal(new Shape(2, 5, 32));
            NDArray t = Tensors.of(m, new int[] {3, 700}, new Shape(2));
            Pass full = pass(m, unet, x, t, text, target, null, false);
            Pass half = pass(m, unet, x, t, text, target, DataType.FLOAT16, false);
            Pass halfCheckpointed = pass(m, unet, x, t, text, target, DataType.FLOAT16, true);
            assertEquals(DataType.FLOAT32, half.gradType(), "gradients reach the float32 weights");
            assertEquals(full.loss(), half.loss(), 2e-3 * Math.abs(full.loss()));
            double worst = 0;
            for (String k : full.grads().keySet()) {
                double scale = norm(full.grads().get(k));
                if (scale > 1e-6) {
                    worst =
                            Math.max(
                                    worst,
                                    distance(full.grads().get(k), half.grads().get(k)) / scale);
                }
            }
            assertTrue(worst < 0.05, "worst relative gradient error " + worst);
            assertTrue(worst > 0, "float16 rounds somewhere");
            // The recompute of a checkpointed segment runs under the autocast it was recorded in.
            for (String k : half.grads().keySet()) {
                assertArrayEquals(half.grads().get(k), halfCheckpointed.grads().get(k), 1e-6f, k);
            }
            assertNull(Autocast.type(), "scopes close");
        }
    }

    @Test
    void castsKeepGradientsAndScopesNest() {
        try (NDManager m = Engines.newManager()) {
            NDArray w = m.create(new float[] {0.5f, -2f});
            w.setRequiresGradient(true);
            try (GradientCollector gc = Engines.engine().newGradientCollector()) {
                NDArray h = Autocast.cast(w, DataType.FLOAT16);
                assertEquals(DataType.FLOAT16, h.getDataType());
                gc.backward(Autocast.cast(h.mul(3), DataType.FLOAT32).sum());
            }
            assertArrayEquals(new float[] {3f, 3f}, w.getGradient().toFloatArray());
        }
        try (Autocast outer = Autocast.enable(DataType.FLOAT16)) {
            try (Autocast inner = Autocast.enable(null)) {
                assertNull(Autocast.type());
            }
            assertEquals(DataType.FLOAT16, Autocast.type());
        }
        assertNull(Autocast.type());
        assertThrows(IllegalArgumentException.class, () -> Autocast.enable(DataType.FLOAT64));
    }

    private static Pass pass(
            NDManager m,
            UNet2DConditionModel unet,
            NDArray x,
            NDArray t,
            NDArray text,
            NDArray target,
            DataType type,
            boolean checkpoint) {
        Map<String, Parameter> params = StateDict.parameters(unet);
        for (Parameter p : params.values()) {
            p.getArray().getGradient().subi(p.getArray().getGradient());
        }
        float loss;
        try (NDManager s = m.newSubManager();
                GradientCollector gc = Engines.engine().newGradientCollector();
                GradientCheckpoints tape = new GradientCheckpoints(s)) {
            NDArray l;
            try (Autocast precision = Autocast.enable(type)) {
                l =
                        unet.run(
                                        new ParameterStore(s, false),
                                        x,
                                        t,
                                        text,
                                        true,
                                        null,
                                        checkpoint ? tape : null)
                                .sub(target)
                                .square()
                                .mean();
            }
            // Scaled as LossScale scales it: the smallest gradients here (1e-6) are below float16's
            // normal range.
            tape.backward(Tensors.mul(l, LOSS_SCALE), gc);
            loss = l.getFloat();
        }
        Map<String, float[]> grads = new LinkedHashMap<>();
        DataType gradType = null;
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            NDArray g = e.getValue().getArray().getGradient();
            float[] v = g.toFloatArray();
            for (int i = 0; i < v.length; i++) {
                v[i] /= LOSS_SCALE;
            }
            grads.put(e.getKey(), v);
            gradType = g.getDataType();
        }
        return new Pass(loss, grads, gradType);
    }

    private static double distance(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (double) (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * (double) x;
        }
        return Math.sqrt(s);
    }
}
