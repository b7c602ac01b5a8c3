package image2music.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * softmax(q kᵀ / √d) v in one libtorch call, {@code scaled_dot_product_attention}, which DJL 0.33
 * does not expose: a one-operator TorchScript module (written by {@code
 * models/src/main/python/scaled_dot_product_attention.py}, shipped as a resource) that DJL's own
 * libtorch runs. On a CPU that is libtorch's flash-attention kernel: the [L, S] scores never exist
 * as a whole, which saves their memory (a gigabyte per SD-1.5 attention at 64×64 latents) and about
 * half the time of a matMul + softmax + matMul.
 *
 * <p>Where the module cannot be loaded (another engine build), {@link #available} is false and
 * callers keep their explicit products.
 */
public final class FusedAttention {

    private static final Logger LOG = LoggerFactory.getLogger(FusedAttention.class);
    private static final String RESOURCE = "scaled_dot_product_attention.pt";

    /** {@code -Dimage2music.fusedAttention=false} keeps the explicit products (to compare). */
    public static final String SWITCH = "image2music.fusedAttention";

    private static volatile PtSymbolBlock module;
    private static volatile boolean tried;

    private FusedAttention() {}

    /** Whether the fused call is there and wanted (loads the module on first use). */
    public static boolean available() {
        if (!tried) {
            synchronized (FusedAttention.class) {
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
     * d]; the result [B, heads, L, d] is in {@code q}'s manager. With autograd recording (a
     * training step) the call is recorded like any operator; without, it runs in libtorch's
     * inference mode.
     *
     * @throws IllegalStateException when {@link #available} is false
     */
    public static NDArray attend(NDArray q, NDArray k, NDArray v) {
        if (!available()) {
            throw new IllegalStateException("the fused attention module is not available");
        }
        return IValueUtils.forward(module, new NDList(q, k, v), JniUtils.isGradMode())
                .singletonOrThrow();
    }

    private static PtSymbolBlock load() {
        try (InputStream in = FusedAttention.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                LOG.debug("{} is not on the class path", RESOURCE);
                return null;
            }
            PtNDManager system = (PtNDManager) Engines.newManager();
            PtSymbolBlock block = JniUtils.loadModule(system, in, true, false);
            JniUtils.enableInferenceMode(block);
            return block;
        } catch (IOException | RuntimeException e) {
            LOG.debug("fused attention unavailable: {}", e.toString());
            return null;
        }
    }
}
