package image2music.bench.bf16;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import image2music.models.nn.Engines;
import image2music.models.nn.Tensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The blocks as TorchScript traces ({@code peer_blocks.py trace}) run by DJL's own libtorch 2.5.1:
 * the route to bf16 that keeps one engine per process. The bf16 traces cast to bf16 inside and hand
 * back F32, since DJL 0.33 aborts on any bf16 tensor it is given.
 */
final class DjlTorchScriptVariants {

    private DjlTorchScriptVariants() {}

    /**
     * F32 and bf16 variants of both blocks from {@code DIR/<block>_<precision>.pt}; none when the
     * traces are absent. The engine must already be configured.
     */
    static List<BlockVariant> create(Path dir, Map<String, HostTensor> io)
            throws IOException, MalformedModelException {
        List<BlockVariant> variants = new ArrayList<>();
        NDManager root = Engines.newManager();
        NDArray x = array(root, io.get("x"));
        Map<String, NDArray> conds =
                Map.of(
                        "resnet", array(root, io.get("temb")),
                        "transformer", array(root, io.get("context")));
        for (String precision : List.of("f32", "bf16")) {
            for (String block : List.of("resnet", "transformer")) {
                String name = block + "_" + precision;
                if (!Files.exists(dir.resolve(name + ".pt"))) {
                    continue;
                }
                Model model = Model.newInstance(name, Engines.device(), "PyTorch");
                model.load(dir, name);
                NDArray cond = conds.get(block);
                variants.add(
                        new BlockVariant(
                                block,
                                "djl-torchscript-" + precision,
                                copy -> run(model, root, x, cond, copy)));
            }
        }
        return variants;
    }

    private static HostTensor run(
            Model model, NDManager root, NDArray x, NDArray cond, boolean copy) {
        NDList out =
                model.getBlock()
                        .forward(new ParameterStore(root, false), new NDList(x, cond), false);
        try {
            NDArray y = out.singletonOrThrow();
            return copy ? new HostTensor(y.toFloatArray(), y.getShape().getShape()) : null;
        } finally {
            // The outputs join the inputs' (long-lived) manager; free them now.
            out.close();
        }
    }

    private static NDArray array(NDManager m, HostTensor t) {
        return Tensors.of(m, t.data(), new Shape(t.shape()));
    }
}
