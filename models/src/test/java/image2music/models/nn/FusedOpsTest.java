package image2music.models.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** libtorch's fused kernels through the TorchScript module, against the explicit operations. */
class FusedOpsTest {

    @Test
    void fusedAttentionEqualsSoftmaxOfScaledScoresTimesValues() {
        assertTrue(FusedOps.available(), "the module ships with the models jar");
        try (NDManager m = Engines.newManager()) {
            Engines.engine().setRandomSeed(5);
            // Self-attention and cross-attention (fewer keys than queries), two heads.
            for (long keys : new long[] {24, 7}) {
                NDArray q = m.randomNormal(new Shape(2, 2, 24, 8));
                NDArray k = m.randomNormal(new Shape(2, 2, keys, 8));
                NDArray v = m.randomNormal(new Shape(2, 2, keys, 8));
                double scale = 1 / Math.sqrt(8);
                NDArray want =
                        q.mul((float) scale).matMul(k.transpose(0, 1, 3, 2)).softmax(-1).matMul(v);
                NDArray got = FusedOps.attention(q, k, v);
                assertArrayEquals(want.getShape().getShape(), got.getShape().getShape());
                assertArrayEquals(want.toFloatArray(), got.toFloatArray(), 1e-5f);
            }
        }
    }

    /**
     * Through the module autograd still reaches q, k and v, with the explicit products' gradients.
     */
    @Test
    void gradientsFlowThroughTheFusedCall() {
        try (NDManager m = Engines.newManager()) {
            Engines.engine().setRandomSeed(6);
            NDArray[] qkv = {
                m.randomNormal(new Shape(1, 2, 16, 8)),
                m.randomNormal(new Shape(1, 2, 16, 8)),
                m.randomNormal(new Shape(1, 2, 16, 8))
            };
            NDArray w = m.randomNormal(new Shape(1, 2, 16, 8));
            float[][] grads = new float[2][];
            for (int fused = 0; fused < 2; fused++) {
                // Fresh leaves each time: gradients would add up on the same ones.
                NDArray q = qkv[0].duplicate();
                NDArray k = qkv[1].duplicate();
                NDArray v = qkv[2].duplicate();
                for (NDArray a : new NDArray[] {q, k, v}) {
                    a.setRequiresGradient(true);
                }
                try (ai.djl.training.GradientCollector gc =
                        Engines.engine().newGradientCollector()) {
                    NDArray out =
                            fused == 1
                                    ? FusedOps.attention(q, k, v)
                                    : q.mul((float) (1 / Math.sqrt(8)))
                                            .matMul(k.transpose(0, 1, 3, 2))
                                            .softmax(-1)
                                            .matMul(v);
                    gc.backward(out.mul(w).sum());
                }
                grads[fused] =
                        q.getGradient()
                                .concat(k.getGradient(), 0)
                                .concat(v.getGradient(), 0)
                                .toFloatArray();
            }
            assertArrayEquals(grads[0], grads[1], 1e-5f);
        }
    }

    @Test
    void siluEqualsXTimesSigmoidWithItsGradient() {
        try (NDManager m = Engines.newManager()) {
            Engines.engine().setRandomSeed(8);
            NDArray x0 = m.randomNormal(new Shape(2, 3, 4, 5)).mul(3);
            float[][] values = new float[2][];
            float[][] grads = new float[2][];
            for (int fused = 0; fused < 2; fused++) {
                NDArray x = x0.duplicate();
                x.setRequiresGradient(true);
                try (ai.djl.training.GradientCollector gc =
                        Engines.engine().newGradientCollector()) {
                    NDArray y =
                            fused == 1 ? FusedOps.silu(x) : x.mul(ai.djl.nn.Activation.sigmoid(x));
                    values[fused] = y.toFloatArray();
                    gc.backward(y.mul(x0).sum());
                }
                grads[fused] = x.getGradient().toFloatArray();
            }
            assertArrayEquals(values[0], values[1], 1e-5f);
            assertArrayEquals(grads[0], grads[1], 1e-5f);
        }
    }

    @Test
    void groupNormEqualsTheLayerNormOverRegroupedChannels() {
        try (NDManager m = Engines.newManager()) {
            Engines.engine().setRandomSeed(9);
            GroupNorm norm = new GroupNorm(4, 8, 1e-5f);
            StateDict.initialize(norm, m, ai.djl.ndarray.types.DataType.FLOAT32);
            for (ai.djl.nn.Parameter p : StateDict.parameters(norm).values()) {
                p.getArray().addi(m.randomNormal(p.getArray().getShape()));
            }
            NDArray x = m.randomNormal(new Shape(2, 8, 3, 5)).mul(2).add(1);
            float[][] values = new float[2][];
            float[][] grads = new float[2][];
            for (int fused = 0; fused < 2; fused++) {
                NDArray w = StateDict.parameters(norm).get("weight").getArray();
                try (ai.djl.training.GradientCollector gc =
                        Engines.engine().newGradientCollector()) {
                    NDArray y =
                            fused == 1
                                    ? FusedOps.groupNorm(
                                            x,
                                            w,
                                            StateDict.parameters(norm).get("bias").getArray(),
                                            4,
                                            1e-5)
                                    : explicitGroupNorm(x, w, StateDict.parameters(norm));
                    values[fused] = y.toFloatArray();
                    gc.backward(y.mul(x).sum());
                }
                grads[fused] = w.getGradient().toFloatArray();
                w.getGradient().subi(w.getGradient());
            }
            assertArrayEquals(values[0], values[1], 1e-5f);
            assertArrayEquals(grads[0], grads[1], 1e-4f);
        }
    }

    /**
     * The one-call norm + SiLU equals the two calls: outside autograd (where the SiLU runs in place
     * on the norm's output) and recording, gradients included.
     */
    @Test
    void groupNormSiluEqualsSiluOfTheGroupNorm() {
        try (NDManager m = Engines.newManager()) {
            Engines.engine().setRandomSeed(10);
            NDArray x = m.randomNormal(new Shape(2, 8, 3, 5)).mul(2).add(1);
            NDArray w = m.randomNormal(new Shape(8));
            NDArray b = m.randomNormal(new Shape(8));
            NDArray want = FusedOps.silu(FusedOps.groupNorm(x, w, b, 4, 1e-6));
            float[] xBefore = x.toFloatArray();
            assertArrayEquals(
                    want.toFloatArray(),
                    FusedOps.groupNormSilu(x, w, b, 4, 1e-6).toFloatArray(),
                    1e-6f);
            assertArrayEquals(xBefore, x.toFloatArray(), 0f, "the input is left as it was");

            float[][] grads = new float[2][];
            for (int fused = 0; fused < 2; fused++) {
                NDArray leaf = x.duplicate();
                leaf.setRequiresGradient(true);
                try (ai.djl.training.GradientCollector gc =
                        Engines.engine().newGradientCollector()) {
                    NDArray y =
                            fused == 1
                                    ? FusedOps.groupNormSilu(leaf, w, b, 4, 1e-6)
                                    : FusedOps.silu(FusedOps.groupNorm(leaf, w, b, 4, 1e-6));
                    gc.backward(y.mul(x).sum());
                }
                grads[fused] = leaf.getGradient().toFloatArray();
            }
            assertArrayEquals(grads[0], grads[1], 1e-5f);
        }
    }

    /** Each value becomes a 2×2 block; the gradient of a block sums back onto its value. */
    @Test
    void upsampleNearest2xRepeatsEachValueAlongBothAxes() {
        try (NDManager m = Engines.newManager()) {
            NDArray x = m.arange(12f).reshape(1, 2, 2, 3);
            x.setRequiresGradient(true);
            try (ai.djl.training.GradientCollector gc = Engines.engine().newGradientCollector()) {
                NDArray y = FusedOps.upsampleNearest2x(x);
                assertArrayEquals(new long[] {1, 2, 4, 6}, y.getShape().getShape());
                float[] v = y.toFloatArray();
                for (int c = 0; c < 2; c++) {
                    for (int r = 0; r < 4; r++) {
                        for (int col = 0; col < 6; col++) {
                            assertEquals(
                                    c * 6 + (r / 2) * 3 + col / 2,
                                    v[c * 24 + r * 6 + col],
                                    0f,
                                    "c " + c + ", row " + r + ", column " + col);
                        }
                    }
                }
                gc.backward(y.mul(y.getManager().arange(48f).reshape(1, 2, 4, 6)).sum());
            }
            // Value (0, 0, 0) feeds output cells 0, 1, 6 and 7 of its channel: 0 + 1 + 6 + 7.
            assertEquals(14f, x.getGradient().toFloatArray()[0], 0f);
        }
    }

    /** (x − mean) / √(var + ε) per sample and group of 2 channels, then w·x + b per channel. */
    private static NDArray explicitGroupNorm(
            NDArray x, NDArray w, java.util.Map<String, ai.djl.nn.Parameter> params) {
        NDArray g = x.reshape(2, 4, -1);
        NDArray mean = g.mean(new int[] {2}, true);
        NDArray var = g.sub(mean).square().mean(new int[] {2}, true);
        NDArray normed = g.sub(mean).div(var.add(1e-5f).sqrt()).reshape(x.getShape());
        NDArray b = params.get("bias").getArray();
        return normed.mul(w.reshape(1, 8, 1, 1)).add(b.reshape(1, 8, 1, 1));
    }
}
