package image2music.models.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonObject;
import image2music.core.json.Json;
import image2music.models.nn.Engines;
import image2music.models.nn.StateDict;
import image2music.models.nn.Tensors;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The UNet's text addition embedding ({@code addition_embed_type "text"}). */
class TextTimeEmbeddingTest {

    private static final int D = 4;
    private static final int HEADS = 2;
    private static final int S = 3;

    /** Attention pooling written out with loops, as diffusers' einsums spell it. */
    @Test
    void poolsAsDiffusersAttentionPoolingDoes() {
        SplittableRandom r = new SplittableRandom(3);
        try (NDManager m = Engines.newManager()) {
            TextTimeEmbedding.AttentionPooling pool =
                    new TextTimeEmbedding.AttentionPooling(D, HEADS);
            StateDict.initialize(pool, m, DataType.FLOAT32);
            Map<String, float[]> w = randomise(pool, r, m);
            float[][] x = new float[S][D];
            float[] flat = new float[S * D];
            for (int s = 0; s < S; s++) {
                for (int d = 0; d < D; d++) {
                    x[s][d] = (float) r.nextGaussian();
                    flat[s * D + d] = x[s][d];
                }
            }
            NDArray got =
                    pool.run(
                            new ParameterStore(m, false),
                            Tensors.of(m, flat, new Shape(1, S, D)),
                            false);
            assertArrayEquals(expectedPool(x, w), got.toFloatArray(), 1e-5f);
        }
    }

    @Test
    void theUNetAddsThePooledCaptionToItsTimeEmbedding() {
        JsonObject o = tinyUNet();
        o.addProperty("addition_embed_type", "text");
        o.addProperty("addition_embed_type_num_heads", 2);
        UNet2DConditionConfig c = UNet2DConditionConfig.fromJson(o);
        UNet2DConditionModel unet = new UNet2DConditionModel(c);
        TreeSet<String> keys = new TreeSet<>(StateDict.parameters(unet).keySet());
        for (String k :
                new String[] {
                    "add_embedding.norm1.weight",
                    "add_embedding.norm1.bias",
                    "add_embedding.pool.positional_embedding",
                    "add_embedding.pool.q_proj.weight",
                    "add_embedding.pool.k_proj.bias",
                    "add_embedding.pool.v_proj.weight",
                    "add_embedding.proj.weight",
                    "add_embedding.norm2.bias"
                }) {
            assertTrue(keys.contains(k), k + " in " + keys);
        }
        assertEquals("text", UNet2DConditionConfig.fromJson(c.toJson()).additionEmbedType());

        try (NDManager m = Engines.newManager()) {
            StateDict.initialize(unet, m, DataType.FLOAT32);
            NDArray sample = m.randomNormal(new Shape(1, 4, 16, 16));
            NDArray t = Tensors.of(m, new float[] {500f}, new Shape(1));
            NDArray a = m.randomNormal(new Shape(1, 5, 16));
            NDArray b = m.randomNormal(new Shape(1, 5, 16));
            float[] outA = unet.predict(m, sample, t, a).toFloatArray();
            float[] outB = unet.predict(m, sample, t, b).toFloatArray();
            double diff = 0;
            for (int i = 0; i < outA.length; i++) {
                diff += Math.abs(outA[i] - outB[i]);
            }
            assertTrue(diff > 0, "the caption changes the prediction");
        }
    }

    @Test
    void onlyTheTextAdditionIsAccepted() {
        JsonObject o = tinyUNet();
        o.addProperty("addition_embed_type", "text_time");
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> UNet2DConditionConfig.fromJson(o));
        assertTrue(e.getMessage().contains("addition_embed_type"), e.getMessage());
        JsonObject heads = tinyUNet();
        heads.addProperty("addition_embed_type", "text");
        heads.addProperty("addition_embed_type_num_heads", 5);
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> UNet2DConditionConfig.fromJson(heads));
        assertTrue(e.getMessage().contains("num_heads 5"), e.getMessage());
    }

    private static JsonObject tinyUNet() {
        JsonObject o = new JsonObject();
        o.add("block_out_channels", Json.array(List.of(8, 16)));
        o.add("down_block_types", Json.array(List.of("CrossAttnDownBlock2D", "DownBlock2D")));
        o.add("up_block_types", Json.array(List.of("UpBlock2D", "CrossAttnUpBlock2D")));
        o.addProperty("layers_per_block", 1);
        o.addProperty("norm_num_groups", 4);
        o.addProperty("cross_attention_dim", 16);
        o.addProperty("attention_head_dim", 2);
        o.addProperty("sample_size", 16);
        return o;
    }

    /** Gives every parameter Gaussian values; returns them by key. */
    private static Map<String, float[]> randomise(
            TextTimeEmbedding.AttentionPooling pool, SplittableRandom r, NDManager m) {
        Map<String, float[]> out = new java.util.HashMap<>();
        for (Map.Entry<String, Parameter> e : StateDict.parameters(pool).entrySet()) {
            Shape shape = e.getValue().getArray().getShape();
            float[] v = new float[(int) shape.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (0.5 * r.nextGaussian());
            }
            StateDict.assign(e.getValue(), Tensors.of(m, v, shape), m, DataType.FLOAT32);
            out.put(e.getKey(), v);
        }
        return out;
    }

    private static float[] linear(float[] x, float[] weight, float[] bias) {
        float[] y = new float[bias.length];
        for (int o = 0; o < y.length; o++) {
            double s = bias[o];
            for (int i = 0; i < x.length; i++) {
                s += weight[o * x.length + i] * x[i];
            }
            y[o] = (float) s;
        }
        return y;
    }

    private static float[] expectedPool(float[][] x, Map<String, float[]> w) {
        float[] token = new float[D];
        for (int d = 0; d < D; d++) {
            double mean = 0;
            for (float[] row : x) {
                mean += row[d];
            }
            token[d] = (float) (mean / S) + w.get("positional_embedding")[d];
        }
        float[][] all = new float[S + 1][];
        all[0] = token;
        System.arraycopy(x, 0, all, 1, S);
        float[] q = linear(token, w.get("q_proj.weight"), w.get("q_proj.bias"));
        float[][] k = new float[S + 1][];
        float[][] v = new float[S + 1][];
        for (int s = 0; s <= S; s++) {
            k[s] = linear(all[s], w.get("k_proj.weight"), w.get("k_proj.bias"));
            v[s] = linear(all[s], w.get("v_proj.weight"), w.get("v_proj.bias"));
        }
        int dh = D / HEADS;
        float[] out = new float[D];
        for (int h = 0; h < HEADS; h++) {
            double[] score = new double[S + 1];
            double max = Double.NEGATIVE_INFINITY;
            for (int s = 0; s <= S; s++) {
                for (int c = 0; c < dh; c++) {
                    score[s] += q[h * dh + c] * k[s][h * dh + c];
                }
                score[s] /= Math.sqrt(dh);
                max = Math.max(max, score[s]);
            }
            double z = 0;
            for (int s = 0; s <= S; s++) {
                score[s] = Math.exp(score[s] - max);
                z += score[s];
            }
            for (int c = 0; c < dh; c++) {
                double a = 0;
                for (int s = 0; s <= S; s++) {
                    a += score[s] / z * v[s][h * dh + c];
                }
                out[h * dh + c] = (float) a;
            }
        }
        return out;
    }
}
