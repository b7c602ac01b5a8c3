package image2music.models.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Layers against results worked out by hand. */
class LayersTest {

    private static final float EPS = 1e-5f;

    @Test
    void linearIsXTimesWeightTransposedPlusBias() {
        try (NDManager m = Engines.newManager()) {
            Linear l = new Linear(2, 3, true, 0.02f);
            set(
                    l,
                    m,
                    Map.of(
                            "weight",
                            m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(3, 2)),
                            "bias",
                            m.create(new float[] {0.5f, 0, -1})));
            NDArray y = run(l, m, m.create(new float[] {1, -1}, new Shape(1, 2)));
            assertArrayEquals(new float[] {-0.5f, -1f, -2f}, y.toFloatArray(), EPS);
            assertEquals(List.of("weight", "bias"), List.copyOf(StateDict.parameters(l).keySet()));
        }
    }

    @Test
    void layerNormNormalisesTheLastAxisThenScalesAndShifts() {
        try (NDManager m = Engines.newManager()) {
            LayerNorm n = new LayerNorm(2, 0f);
            set(
                    n,
                    m,
                    Map.of(
                            "weight",
                            m.create(new float[] {2, 3}),
                            "bias",
                            m.create(new float[] {1, 0})));
            // (1, 3): mean 2, std 1 -> (-1, 1) -> (2*-1+1, 3*1+0)
            assertArrayEquals(
                    new float[] {-1, 3},
                    run(n, m, m.create(new float[] {1, 3}, new Shape(1, 2))).toFloatArray(),
                    EPS);
        }
    }

    @Test
    void attentionWithEqualKeysAveragesValuesPerHead() {
        try (NDManager m = Engines.newManager()) {
            // Two tokens with identical keys: every query attends 50/50; heads are independent.
            NDArray q = m.create(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, new Shape(1, 2, 4));
            NDArray k = m.create(new float[] {1, 1, 2, 2, 1, 1, 2, 2}, new Shape(1, 2, 4));
            NDArray v = m.create(new float[] {0, 2, 10, 20, 4, 6, 30, 40}, new Shape(1, 2, 4));
            MultiHeadAttention.Result r = MultiHeadAttention.attend(q, k, v, 2, null, 0f, false);
            assertArrayEquals(
                    new float[] {2, 4, 20, 30, 2, 4, 20, 30}, r.context().toFloatArray(), EPS);
            assertEquals(new Shape(1, 2, 2, 2), r.probabilities().getShape());
            assertArrayEquals(
                    new float[] {.5f, .5f, .5f, .5f, .5f, .5f, .5f, .5f},
                    r.probabilities().toFloatArray(),
                    EPS);
        }
    }

    @Test
    void attentionScalesScoresBySqrtOfHeadSize() {
        try (NDManager m = Engines.newManager()) {
            // One head of size 4: scores q.k / 2 = (0, ln 3) -> softmax (1/4, 3/4).
            float ln3 = (float) Math.log(3);
            NDArray q = m.create(new float[] {2 * ln3, 0, 0, 0}, new Shape(1, 1, 4));
            NDArray k = m.create(new float[] {0, 0, 0, 0, 1, 0, 0, 0}, new Shape(1, 2, 4));
            NDArray v = m.create(new float[] {4, 0, 0, 0, 8, 0, 0, 0}, new Shape(1, 2, 4));
            NDArray ctx = MultiHeadAttention.attend(q, k, v, 1, null, 0f, false).context();
            assertArrayEquals(new float[] {7, 0, 0, 0}, ctx.toFloatArray(), 1e-4f);
        }
    }

    @Test
    void mlpAppliesFc1ActivationFc2WithClipNames() {
        try (NDManager m = Engines.newManager()) {
            Mlp mlp = new Mlp(1, 2, "relu", 0.02f);
            set(
                    mlp,
                    m,
                    Map.of(
                            "fc1.weight",
                            m.create(new float[] {1, -1}, new Shape(2, 1)),
                            "fc1.bias",
                            m.create(new float[] {0, 0}),
                            "fc2.weight",
                            m.create(new float[] {2, 3}, new Shape(1, 2)),
                            "fc2.bias",
                            m.create(new float[] {1})));
            // x = -2: fc1 -> (-2, 2), relu -> (0, 2), fc2 -> 3*2 + 1
            assertArrayEquals(
                    new float[] {7},
                    run(mlp, m, m.create(new float[] {-2}, new Shape(1, 1))).toFloatArray(),
                    EPS);
        }
    }

    @Test
    void geluIsTheExactErfFormAndQuickGeluUsesSigmoid() {
        try (NDManager m = Engines.newManager()) {
            NDArray x = m.create(new float[] {-1, 0.5f, 2});
            // 0.5 x (1 + erf(x / sqrt 2)), erf values from tables
            float[] exact = {-0.15865526f, 0.34573123f, 1.9544997f};
            assertArrayEquals(exact, Activations.byName("gelu").apply(x).toFloatArray(), 1e-6f);
            float[] quick = new float[3];
            float[] xs = {-1, 0.5f, 2};
            for (int i = 0; i < 3; i++) {
                quick[i] = (float) (xs[i] / (1 + Math.exp(-1.702 * xs[i])));
            }
            assertArrayEquals(
                    quick, Activations.byName("quick_gelu").apply(x).toFloatArray(), 1e-6f);
        }
    }

    private static void set(HfBlock b, NDManager m, Map<String, NDArray> values) {
        StateDict.load(b, values, LoadRules.strict(), m, DataType.FLOAT32, "test");
    }

    private static NDArray run(HfBlock b, NDManager m, NDArray x) {
        return b.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
    }
}
