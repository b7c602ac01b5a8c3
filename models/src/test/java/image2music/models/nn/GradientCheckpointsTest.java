package image2music.models.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import image2music.models.diffusion.UNet2DConditionConfig;
import image2music.models.diffusion.UNet2DConditionModel;
import image2music.models.diffusion.pipeline.TinyPipelines;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Gradient checkpointing gives the gradients of a plain backward pass. */
class GradientCheckpointsTest {

    /** How the chain's middle part runs: checkpointed or kept. */
    @FunctionalInterface
    private interface Part {
        NDArray run(GradientCheckpoints tape, UnaryOperator<NDList> fn, NDArray... in);
    }

    /**
     * A chain with the shapes a UNet has: an input from the recorded graph read by every segment (a
     * time embedding), a segment output read by two later segments (a skip) and a loss read after
     * the last one.
     */
    @Test
    void aChainWithSharedInputsAndSkipsGetsThePlainGradients() {
        assertChainGetsThePlainGradients(GradientCheckpoints::apply1);
    }

    /** The same chain with its middle part kept (run once, recorded), as a UNet's resampler is. */
    @Test
    void aKeptPartBetweenCheckpointedSegmentsGetsThePlainGradients() {
        assertChainGetsThePlainGradients(GradientCheckpoints::keep1);
    }

    private static void assertChainGetsThePlainGradients(Part middle) {
        try (NDManager m = Engines.newManager()) {
            Engines.engine().setRandomSeed(1);
            NDArray w1 = leaf(m.randomNormal(new Shape(3, 3)));
            NDArray w2 = leaf(m.randomNormal(new Shape(3, 3)));
            NDArray e = leaf(m.randomNormal(new Shape(1, 3)));
            NDArray x = m.randomNormal(new Shape(2, 3));
            BiFunction<GradientCheckpoints, NDManager, NDArray> model =
                    (tape, s) -> {
                        NDArray emb = e.mul(3).tanh(); // from the recorded graph
                        NDArray a =
                                GradientCheckpoints.apply1(
                                        tape,
                                        in ->
                                                new NDList(
                                                        in.get(0).matMul(w1).add(in.get(1)).tanh()),
                                        x,
                                        emb);
                        NDArray b =
                                middle.run(
                                        tape,
                                        in -> new NDList(in.get(0).matMul(w2).mul(in.get(1)).sin()),
                                        a,
                                        emb);
                        NDArray c =
                                GradientCheckpoints.apply1(
                                        tape,
                                        in -> new NDList(in.get(0).add(in.get(1)).matMul(w1)),
                                        b,
                                        a);
                        return c.square().sum();
                    };
            Map<String, float[]> plain =
                    gradients(m, Map.of("w1", w1, "w2", w2, "e", e), model, false);
            Map<String, float[]> checkpointed =
                    gradients(m, Map.of("w1", w1, "w2", w2, "e", e), model, true);
            assertSame(plain, checkpointed, 1e-5);
        }
    }

    /** A frozen segment on constants (LoRA's base model before its first adapter) is skipped. */
    @Test
    void aSegmentThatDependsOnNothingTrainedPassesNothingBack() {
        try (NDManager m = Engines.newManager()) {
            Engines.engine().setRandomSeed(2);
            NDArray w = leaf(m.randomNormal(new Shape(3, 3)));
            NDArray frozen = m.randomNormal(new Shape(3, 3));
            NDArray x = m.randomNormal(new Shape(2, 3));
            BiFunction<GradientCheckpoints, NDManager, NDArray> model =
                    (tape, s) -> {
                        NDArray a =
                                GradientCheckpoints.apply1(
                                        tape, in -> new NDList(in.get(0).matMul(frozen).tanh()), x);
                        NDArray b =
                                GradientCheckpoints.apply1(
                                        tape, in -> new NDList(in.get(0).matMul(w).sin()), a);
                        return b.sum();
                    };
            assertSame(
                    gradients(m, Map.of("w", w), model, false),
                    gradients(m, Map.of("w", w), model, true),
                    1e-6);
        }
    }

    /**
     * The tiny UNet with cross-attention and the text addition embedding, its text states computed
     * from a trainable array (a text encoder being trained): every parameter's gradient and the
     * text side's are those of a plain backward pass.
     */
    @Test
    void theUNetsGradientsMatchAPlainBackwardPass() {
        try (NDManager m = Engines.newManager()) {
            Engines.engine().setRandomSeed(7);
            UNet2DConditionModel unet = new UNet2DConditionModel(tinyUNet());
            unet.initialize(m, DataType.FLOAT32);
            Map<String, NDArray> trained = new LinkedHashMap<>();
            for (Map.Entry<String, Parameter> p : StateDict.parameters(unet).entrySet()) {
                trained.put(p.getKey(), p.getValue().getArray());
            }
            NDArray text = leaf(m.randomNormal(new Shape(2, 5, 32)));
            trained.put("text", text);
            NDArray x = m.randomNormal(new Shape(2, 4, 8, 8));
            NDArray target = m.randomNormal(new Shape(2, 4, 8, 8));
            NDArray t = Tensors.of(m, new int[] {3, 700}, new Shape(2));
            BiFunction<GradientCheckpoints, NDManager, NDArray> model =
                    (tape, s) ->
                            unet.run(
                                            new ParameterStore(s, false),
                                            x,
                                            t,
                                            text.mul(0.5f),
                                            true,
                                            null,
                                            tape)
                                    .sub(target)
                                    .square()
                                    .mean();
            Map<String, float[]> plain = gradients(m, trained, model, false);
            Map<String, float[]> checkpointed = gradients(m, trained, model, true);
            assertEquals(plain.keySet(), checkpointed.keySet());
            assertSame(plain, checkpointed, 1e-4);
            double textNorm = norm(plain.get("text"));
            assertTrue(textNorm > 0, "the text states get a gradient");
        }
    }

    @Test
    void aTapeRunsOneBackwardPassAndRefusesASegmentThatReturnsItsInput() {
        try (NDManager m = Engines.newManager();
                GradientCollector gc = Engines.engine().newGradientCollector();
                GradientCheckpoints tape = new GradientCheckpoints(m)) {
            NDArray w = leaf(m.ones(new Shape(2)));
            assertThrows(
                    IllegalArgumentException.class, () -> tape.run(in -> new NDList(in.get(0)), w));
            NDArray y = tape.run(in -> new NDList(in.get(0).mul(2)), w).singletonOrThrow();
            assertFalse(tape.isEmpty());
            tape.backward(y.sum(), gc);
            assertEquals(2f, w.getGradient().toFloatArray()[0], 0f);
            assertThrows(IllegalStateException.class, () -> tape.backward(y.sum(), gc));
            assertThrows(
                    IllegalStateException.class,
                    () -> tape.run(in -> new NDList(in.get(0).mul(2)), w));
        }
    }

    /** The tiny pipeline's UNet with the text addition embedding, so text reaches every block. */
    private static UNet2DConditionConfig tinyUNet() {
        com.google.gson.JsonObject o = TinyPipelines.unetConfig().toJson();
        o.addProperty("addition_embed_type", "text");
        o.addProperty("addition_embed_type_num_heads", 2);
        return UNet2DConditionConfig.fromJson(o);
    }

    private static NDArray leaf(NDArray a) {
        a.setRequiresGradient(true);
        return a;
    }

    /** One backward pass of {@code model}, plain or checkpointed; the gradients by name. */
    private static Map<String, float[]> gradients(
            NDManager m,
            Map<String, NDArray> trained,
            BiFunction<GradientCheckpoints, NDManager, NDArray> model,
            boolean checkpoint) {
        for (NDArray a : trained.values()) {
            a.getGradient().subi(a.getGradient());
        }
        try (NDManager s = m.newSubManager();
                GradientCollector gc = Engines.engine().newGradientCollector();
                GradientCheckpoints tape = new GradientCheckpoints(s)) {
            NDArray loss = model.apply(checkpoint ? tape : null, s);
            assertEquals(!checkpoint, tape.isEmpty());
            tape.backward(loss, gc);
        }
        Map<String, float[]> out = new LinkedHashMap<>();
        trained.forEach((k, a) -> out.put(k, a.getGradient().toFloatArray()));
        return out;
    }

    private static void assertSame(
            Map<String, float[]> want, Map<String, float[]> got, double tol) {
        for (Map.Entry<String, float[]> e : want.entrySet()) {
            float[] a = e.getValue();
            float[] b = got.get(e.getKey());
            double diff = 0;
            for (int i = 0; i < a.length; i++) {
                diff += (a[i] - b[i]) * (double) (a[i] - b[i]);
            }
            double scale = norm(a);
            assertTrue(
                    Math.sqrt(diff) <= tol * scale + 1e-9,
                    e.getKey() + ": gradients differ by " + Math.sqrt(diff) + " of " + scale);
        }
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * (double) x;
        }
        return Math.sqrt(s);
    }
}
