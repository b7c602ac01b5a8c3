package image2music.bench.bf16;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** The blocks on JavaCPP's libtorch 2.10, in F32 and in bf16 (weights and inputs cast). */
final class LibtorchVariants {

    private static final int HEADS = 8;

    /**
     * Held for the life of the process: libtorch's inference mode (no autograd records, no version
     * counters) is an RAII guard, on while this object lives, in the thread that made it.
     */
    private static InferenceMode inferenceMode;

    private LibtorchVariants() {}

    /** F32 and bf16 variants of both blocks, on {@code threads} libtorch threads. */
    static List<BlockVariant> create(Path dir, Map<String, HostTensor> io, int threads)
            throws IOException {
        torch.set_num_threads(threads);
        inferenceMode = new InferenceMode();
        System.err.println(
                "JavaCPP libtorch: "
                        + torch.get_num_threads()
                        + " threads, "
                        + torch.get_mkldnn_version().getString());
        // The build settings name the BLAS behind F32 matrix products (BLAS_INFO).
        System.err.println(torch.show_config().getString());
        Map<String, HostTensor> resnetWeights =
                HostTensor.readAll(dir.resolve("resnet.safetensors"));
        Map<String, HostTensor> transformerWeights =
                HostTensor.readAll(dir.resolve("transformer.safetensors"));
        List<BlockVariant> variants = new ArrayList<>();
        for (torch.ScalarType type : List.of(torch.ScalarType.Float, torch.ScalarType.BFloat16)) {
            String name = type == torch.ScalarType.Float ? "javacpp-f32" : "javacpp-bf16";
            LibtorchWeights resnet = new LibtorchWeights(resnetWeights, type);
            LibtorchWeights transformer = new LibtorchWeights(transformerWeights, type);
            Tensor x = LibtorchWeights.toLibtorch(io.get("x"), type);
            Tensor temb = LibtorchWeights.toLibtorch(io.get("temb"), type);
            Tensor context = LibtorchWeights.toLibtorch(io.get("context"), type);
            variants.add(
                    new BlockVariant(
                            "resnet",
                            name,
                            copy -> run(copy, () -> LibtorchBlocks.resnet(resnet, x, temb))));
            variants.add(
                    new BlockVariant(
                            "transformer",
                            name,
                            copy ->
                                    run(
                                            copy,
                                            () ->
                                                    LibtorchBlocks.transformer(
                                                            transformer, x, context, HEADS))));
        }
        return variants;
    }

    private static HostTensor run(boolean copy, java.util.function.Supplier<Tensor> forward) {
        // The scope frees every tensor made inside it when the call ends instead of at garbage
        // collection, which would let intermediates pile up across calls.
        try (PointerScope scope = new PointerScope()) {
            Tensor out = forward.get();
            return copy ? LibtorchWeights.toHost(out) : null;
        }
    }
}
