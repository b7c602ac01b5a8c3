package image2music.models.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
}
