package image2music.app.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import image2music.models.nn.Engines;
import image2music.models.nn.HfConfigs;
import image2music.models.nn.StateDict;
import image2music.models.vit.ViTConfig;
import image2music.models.vit.ViTForImageClassification;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench-models}: forward and forward+backward time of the ViT configs, the same ones and
 * batch sizes as {@code pytorch_cpu_bench.py}, with medians after warm-up and, given that script's
 * results, the ratio DJL / PyTorch.
 */
@Command(
        name = "bench-models",
        description = {
            "Times ViT-base (224 px, patch 16, batch 8) and a small ViT (64 px, patch 8, hidden"
                    + " 192, 6 layers, batch 32): forward (no grad) and forward+backward.",
            "Prints medians after warm-up, images/s and the thread count; with --peer, the ratio to"
                    + " PyTorch's figures from pytorch_cpu_bench.py's JSON."
        })
public final class BenchModelsCommand implements Callable<Integer> {

    /** A benchmarked model: its config and batch size, and its name in the peer JSON. */
    record Case(String name, String peerName, ViTConfig config, int batch) {}

    @Option(
            names = "--runs",
            defaultValue = "5",
            paramLabel = "N",
            description = "Timed runs (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(
            names = "--warmup",
            defaultValue = "2",
            paramLabel = "N",
            description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
            names = "--only",
            paramLabel = "NAME",
            split = ",",
            description = "Only these of: vit-base, vit-small.")
    List<String> only;

    @Option(
            names = "--peer",
            paramLabel = "FILE",
            description = "pytorch_cpu_bench.py results JSON to compare with.")
    Path peer;

    @Mixin EngineOptions engine;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    static List<Case> cases() {
        List<String> labels = List.of("a", "b", "c", "d");
        ViTConfig base = ViTConfig.base(labels, ViTConfig.MULTI_LABEL);
        ViTConfig small =
                new ViTConfig(
                        192,
                        6,
                        3,
                        768,
                        "gelu",
                        0f,
                        0f,
                        0.02f,
                        1e-12f,
                        64,
                        8,
                        3,
                        true,
                        8,
                        labels,
                        ViTConfig.MULTI_LABEL,
                        null);
        return List.of(
                new Case("vit-base", "vit_base", base, 8),
                new Case("vit-small", "vit_small", small, 32));
    }

    @Override
    public Integer call() throws IOException {
        if (runs < 1 || warmup < 0) {
            throw new IllegalArgumentException("--runs must be >= 1 and --warmup >= 0");
        }
        JsonObject peerBlocks =
                peer == null
                        ? null
                        : HfConfigs.read(peer)
                                .getAsJsonObject("summary_first_run")
                                .getAsJsonObject("blocks");
        engine.start();
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                Locale.ROOT,
                "bench-models: PyTorch %s via DJL, device %s, %d intra-op threads, MKL_ENABLE_INSTRUCTIONS=%s%n",
                Engines.engine().getVersion(),
                Engines.device(),
                Engines.intraOpThreads(),
                System.getenv().getOrDefault("MKL_ENABLE_INSTRUCTIONS", "(unset)"));
        try (NDManager m = Engines.newManager()) {
            double gemm = gemmProbe(m);
            out.printf(
                    Locale.ROOT,
                    "probe sgemm 1576x768x3072: %.4f s, %.0f GFLOP/s%s%n",
                    gemm,
                    2.0 * 1576 * 768 * 3072 / gemm / 1e9,
                    peerText(peerBlocks, "probe.gemm_1576x768x3072", gemm));
            out.flush();
            for (Case c : cases()) {
                if (only != null && !only.contains(c.name())) {
                    continue;
                }
                benchCase(m, c, out, peerBlocks);
            }
        }
        return 0;
    }

    private void benchCase(NDManager root, Case c, PrintWriter out, JsonObject peerBlocks) {
        try (NDManager m = root.newSubManager()) {
            Engines.engine().setRandomSeed(0);
            ViTForImageClassification model = new ViTForImageClassification(c.config());
            model.initialize(m, DataType.FLOAT32);
            int s = c.config().imageSize();
            NDArray x = m.randomNormal(new Shape(c.batch(), 3, s, s));
            NDArray y =
                    m.randomUniform(0, 1, new Shape(c.batch(), 4))
                            .gt(0.5f)
                            .toType(DataType.FLOAT32, false);
            double fwd =
                    median(
                            () -> {
                                try (NDManager step = m.newSubManager()) {
                                    model.run(
                                                    new ParameterStore(step, false),
                                                    x,
                                                    false,
                                                    false,
                                                    false)
                                            .logits()
                                            .toFloatArray();
                                }
                            });
            double train =
                    median(
                            () -> {
                                try (NDManager step = m.newSubManager();
                                        GradientCollector gc =
                                                Engines.engine().newGradientCollector()) {
                                    NDArray logits =
                                            model.run(
                                                            new ParameterStore(step, false),
                                                            x,
                                                            true,
                                                            false,
                                                            false)
                                                    .logits();
                                    gc.backward(model.loss(logits, y));
                                }
                            });
            out.printf(
                    Locale.ROOT,
                    "%s (%.1f M params) batch %d at %d px:%n",
                    c.name(),
                    StateDict.parameterCount(model) / 1e6,
                    c.batch(),
                    s);
            out.printf(
                    Locale.ROOT,
                    "  forward (no grad):  %.4f s, %.1f images/s%s%n",
                    fwd,
                    c.batch() / fwd,
                    peerText(peerBlocks, c.peerName() + ".forward_no_grad_eval", fwd));
            out.printf(
                    Locale.ROOT,
                    "  forward + backward: %.4f s, %.1f images/s%s%n",
                    train,
                    c.batch() / train,
                    peerText(peerBlocks, c.peerName() + ".train_step_fwd_bwd_adamw", train)
                            + (peerBlocks == null ? "" : " (PyTorch's step includes AdamW)"));
            out.flush();
        }
    }

    private double gemmProbe(NDManager root) {
        try (NDManager m = root.newSubManager()) {
            NDArray a = m.randomNormal(new Shape(1576, 768));
            NDArray w = m.randomNormal(new Shape(3072, 768));
            return median(
                    () -> {
                        try (NDManager step = m.newSubManager()) {
                            NDArray r = ai.djl.nn.core.Linear.linear(a, w, null).singletonOrThrow();
                            r.tempAttach(step);
                            r.getFloat(0, 0);
                        }
                    });
        }
    }

    private double median(Runnable r) {
        for (int i = 0; i < warmup; i++) {
            r.run();
        }
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(t);
        return runs % 2 == 1 ? t[runs / 2] : (t[runs / 2 - 1] + t[runs / 2]) / 2;
    }

    /** "; PyTorch 1.18 s, DJL/PyTorch 0.93" when the peer JSON has the block. */
    private static String peerText(JsonObject blocks, String name, double ours) {
        if (blocks == null) {
            return "";
        }
        List<String> found = new ArrayList<>();
        for (String k : blocks.keySet()) {
            if (k.endsWith(":" + name) && k.startsWith("malloc_nommap")) {
                found.add(k);
            }
        }
        if (found.isEmpty()) {
            return "";
        }
        JsonObject b = blocks.getAsJsonObject(found.get(0));
        JsonElement clean = b.get("clean_median_s");
        boolean isClean = clean != null && !clean.isJsonNull();
        double theirs = isClean ? clean.getAsDouble() : b.get("median_s").getAsDouble();
        return String.format(
                Locale.ROOT,
                "; PyTorch %.4f s%s, time ratio DJL/PyTorch %.2f",
                theirs,
                isClean ? "" : " (contended runs)",
                ours / theirs);
    }
}
