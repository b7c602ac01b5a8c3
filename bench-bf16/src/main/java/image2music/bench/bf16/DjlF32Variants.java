package image2music.bench.bf16;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import image2music.models.diffusion.ResnetBlock2D;
import image2music.models.diffusion.Transformer2DModel;
import image2music.models.nn.Engines;
import image2music.models.nn.LoadRules;
import image2music.models.nn.SafetensorsFile;
import image2music.models.nn.StateDict;
import image2music.models.nn.Tensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Our DJL blocks in F32 (the only type DJL 0.33 computes in on CPU) on the peer's weights. */
final class DjlF32Variants {

    private DjlF32Variants() {}

    /** The two blocks with the weights in {@code dir}, on a DJL engine of {@code threads}. */
    static List<BlockVariant> create(Path dir, Map<String, HostTensor> io, int threads)
            throws IOException {
        Engines.configure(new Engines.Settings(threads, false, false));
        Engines.inferenceOnly();
        NDManager root = Engines.newManager();
        NDArray x = array(root, io.get("x"));
        NDArray temb = array(root, io.get("temb"));
        NDArray context = array(root, io.get("context"));
        ResnetBlock2D resnet = load(new ResnetBlock2D(320, 320, 1280, 32, 1e-5f), dir, "resnet");
        Transformer2DModel transformer =
                load(new Transformer2DModel(320, 8, 768, 32, 1, false), dir, "transformer");
        return List.of(
                new BlockVariant(
                        "resnet",
                        "djl-f32",
                        copy -> run(root, copy, ps -> resnet.run(ps, x, temb, false))),
                new BlockVariant(
                        "transformer",
                        "djl-f32",
                        copy -> run(root, copy, ps -> transformer.run(ps, x, context, false))));
    }

    private static <B extends Block> B load(B block, Path dir, String name) throws IOException {
        NDManager weights = Engines.newManager();
        Path file = dir.resolve(name + ".safetensors");
        StateDict.load(
                block,
                SafetensorsFile.read(file, weights),
                LoadRules.strict(),
                weights,
                DataType.FLOAT32,
                file.toString());
        return block;
    }

    private static HostTensor run(
            NDManager root, boolean copy, Function<ParameterStore, NDArray> forward) {
        // A step manager per call frees every intermediate, as the UNet's predict() does.
        try (NDManager step = root.newSubManager()) {
            NDArray out = forward.apply(new ParameterStore(step, false));
            return copy ? new HostTensor(out.toFloatArray(), out.getShape().getShape()) : null;
        }
    }

    private static NDArray array(NDManager m, HostTensor t) {
        return Tensors.of(m, t.data(), new Shape(t.shape()));
    }
}
