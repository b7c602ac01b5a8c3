package image2music.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libtorch's fused kernels that DJL 0.33 does not expose, {@code scaled_dot_product_attention},
 * {@code silu}, {@code group_norm} (also followed by SiLU in one call), {@code upsample_nearest2d}
 * and the fused AdamW kernel: a small TorchScript module (written by {@code
 * models/src/main/python/fused_ops.py}, shipped as a resource) that DJL's own libtorch runs, so
 * there is still one engine per process. Autograd records the calls like any operator when it is
 * recording.
 *
 * <p>On a CPU the attention is libtorch's flash-attention kernel: the [L, S] scores never exist as
 * a whole, which saves their memory (a gigabyte per SD-1.5 attention at 64×64 latents) and about
 * half the time of a matMul + softmax + matMul. SiLU is one pass forward and one backward instead
 * of a sigmoid and products; group norm is libtorch's own kernel instead of a layer norm over
 * regrouped channels and a separate affine. Where the module cannot be loaded (another engine
 * build) or {@value #SWITCH} is false, {@link #available} is false and the explicit operations are
 * used.
 */
public final class FusedOps {

    private static final Logger LOG = LoggerFactory.getLogger(FusedOps.class);
    private static final String RESOURCE = "fused_ops.pt";

    /** {@code -Dimage2music.fusedOps=false} keeps the explicit operations (to compare). */
    public static final String SWITCH = "image2music.fusedOps";

    private static volatile PtSymbolBlock module;
    private static volatile boolean tried;

    private FusedOps() {}

    /** Whether the fused calls are there and wanted (loads the module on first use). */
    public static boolean available() {
        if (!tried) {
            synchronized (FusedOps.class) {
                if (!tried) {
                    module =
                            Boolean.parseBoolean(System.getProperty(SWITCH, "true"))
                                    ? load()
                                    : null;
                    tried = true;
                }
            }
        }
        return module != null;
    }

    /**
     * softmax(q kᵀ / √d) v of {@code q} [B, heads, L, d] over {@code k}, {@code v} [B, heads, S,
     * d]; the result [B, heads, L, d] is in {@code q}'s manager.
     *
     * @throws IllegalStateException when {@link #available} is false
     */
    public static NDArray attention(NDArray q, NDArray k, NDArray v) {
        return call("forward", q, k, v);
    }

    /** x · sigmoid(x), fused when {@link #available}, else spelt out. */
    public static NDArray silu(NDArray x) {
        return available() ? call("silu", x) : x.mul(Activation.sigmoid(x));
    }

    /**
     * torch's {@code group_norm} of {@code x} [N, C, …] in {@code groups} groups with the affine
     * {@code weight}, {@code bias} [C]; the result is in {@code x}'s manager.
     *
     * @throws IllegalStateException when {@link #available} is false
     */
    public static NDArray groupNorm(
            NDArray x, NDArray weight, NDArray bias, int groups, double eps) {
        return groupNorm("group_norm", x, weight, bias, groups, eps);
    }

    /**
     * silu({@link #groupNorm}) in one call; outside autograd the SiLU overwrites the norm's output
     * instead of allocating another tensor.
     *
     * @throws IllegalStateException when {@link #available} is false
     */
    public static NDArray groupNormSilu(
            NDArray x, NDArray weight, NDArray bias, int groups, double eps) {
        return groupNorm("group_norm_silu", x, weight, bias, groups, eps);
    }

    /**
     * {@code x} [N, C, H, W] with each value repeated twice along H and W (nearest-neighbour ×2),
     * in {@code x}'s manager.
     *
     * @throws IllegalStateException when {@link #available} is false
     */
    public static NDArray upsampleNearest2x(NDArray x) {
        return call("upsample_nearest2x", x);
    }

    /**
     * One AdamW step over all of {@code params} in place ({@code torch.optim.AdamW(fused=True)}'s
     * multi-tensor kernel): decoupled weight decay, then the moments {@code expAvgs}, {@code
     * expAvgSqs} and the bias-corrected update. The four lists are parallel; {@code step} is the
     * step count including this one.
     *
     * @throws IllegalStateException when {@link #available} is false
     */
    public static void adamw(
            List<NDArray> params,
            List<NDArray> grads,
            List<NDArray> expAvgs,
            List<NDArray> expAvgSqs,
            long step,
            float lr,
            float beta1,
            float beta2,
            float weightDecay,
            float eps) {
        if (!available()) {
            throw new IllegalStateException("the fused operations module is not available");
        }
        int n = params.size();
        if (grads.size() != n || expAvgs.size() != n || expAvgSqs.size() != n) {
            throw new IllegalArgumentException("AdamW's four lists differ in length");
        }
        try (NDArray stepCount = params.get(0).getManager().create((float) step)) {
            IValue[] args = {
                tensors(params),
                tensors(grads),
                tensors(expAvgs),
                tensors(expAvgSqs),
                IValue.from((PtNDArray) stepCount),
                IValue.from((double) lr),
                IValue.from((double) beta1),
                IValue.from((double) beta2),
                IValue.from((double) weightDecay),
                IValue.from((double) eps)
            };
            try {
                IValueUtils.runMethod(module, "adamw_", args).close();
            } finally {
                for (IValue a : args) {
                    a.close();
                }
            }
        }
    }

    private static IValue tensors(List<NDArray> arrays) {
        return IValue.listFrom(arrays.toArray(PtNDArray[]::new));
    }

    private static NDArray groupNorm(
            String method, NDArray x, NDArray weight, NDArray bias, int groups, double eps) {
        NDManager m = x.getManager();
        // A module takes tensors only, so the group count and ε travel as 0-d tensors. The
        // parameters go in as unnamed views: DJL reads an input's name as a container path.
        try (NDArray g = m.create((long) groups);
                NDArray e = m.create(eps);
                NDArray w = weight.reshape(-1);
                NDArray b = bias.reshape(-1)) {
            return call(method, x, w, b, g, e);
        }
    }

    /**
     * The module's {@code method} on {@code inputs}; the result is in the first input's manager.
     */
    private static NDArray call(String method, NDArray... inputs) {
        if (!available()) {
            throw new IllegalStateException("the fused operations module is not available");
        }
        // DJL picks the module's method from an extra input named this way.
        try (NDArray name = inputs[0].getManager().create(0f)) {
            name.setName("module_method:" + method);
            NDList in = new NDList(name);
            in.addAll(Arrays.asList(inputs));
            // Outside recording, libtorch's inference mode; recording, autograd sees the call.
            return IValueUtils.forward(module, in, JniUtils.isGradMode()).singletonOrThrow();
        }
    }

    private static PtSymbolBlock load() {
        try (InputStream in = FusedOps.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                LOG.debug("{} is not on the class path", RESOURCE);
                return null;
            }
            PtNDManager system = (PtNDManager) Engines.newManager();
            PtSymbolBlock block = JniUtils.loadModule(system, in, true, false);
            JniUtils.enableInferenceMode(block);
            return block;
        } catch (IOException | RuntimeException e) {
            LOG.debug("fused operations unavailable: {}", e.toString());
            return null;
        }
    }
}
