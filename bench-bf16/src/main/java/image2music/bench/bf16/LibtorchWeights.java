package image2music.bench.bf16;

import java.util.HashMap;
import java.util.Map;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/** A state dict on JavaCPP's libtorch, by HF key, all of one element type. */
final class LibtorchWeights {

    private final Map<String, Tensor> tensors = new HashMap<>();

    LibtorchWeights(Map<String, HostTensor> weights, torch.ScalarType type) {
        weights.forEach((k, v) -> tensors.put(k, toLibtorch(v, type)));
    }

    /** Copies {@code t} into a tensor that libtorch owns, converted to {@code type}. */
    static Tensor toLibtorch(HostTensor t, torch.ScalarType type) {
        try (FloatPointer p = new FloatPointer(t.data())) {
            // from_blob only wraps the pointer; clone() (or the cast) makes libtorch's own copy
            // before the pointer is freed.
            Tensor wrapped = torch.from_blob(p, t.shape());
            return type == torch.ScalarType.Float ? wrapped.clone() : wrapped.to(type);
        }
    }

    /** Copies {@code t} back to the heap as F32. */
    static HostTensor toHost(Tensor t) {
        Tensor f = t.to(torch.ScalarType.Float).contiguous();
        float[] data = new float[(int) f.numel()];
        f.data_ptr_float().get(data);
        long[] shape = new long[(int) f.dim()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = f.size(i);
        }
        return new HostTensor(data, shape);
    }

    Tensor get(String key) {
        Tensor t = tensors.get(key);
        if (t == null) {
            throw new IllegalArgumentException("No weight " + key);
        }
        return t;
    }

    /**
     * The optional form functional ops take for biases and norm affines; an absent key gives an
     * empty optional (no bias).
     */
    TensorOptional optional(String key) {
        Tensor t = tensors.get(key);
        return t == null ? new TensorOptional() : new TensorOptional(t);
    }
}
