package image2music.app.cli.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import image2music.app.cli.EngineOptions;
import image2music.app.cli.bench.BenchTiming.Timing;
import image2music.models.nn.Engines;
import image2music.models.nn.HfConfigs;
import image2music.models.nn.StateDict;
import image2music.models.vit.ViTConfig;
import image2music.models.vit.ViTForImageClassification;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
        mixinStandardHelpOptions = true,
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
        JsonObject peerBlocks = peer == null ? null : peerBlocks(peer);
        engine.start();
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                Locale.ROOT,
                "bench-models: PyTorch %s via DJL, device %s, %d intra-op threads%n",
                Engines.engine().getVersion(),
                Engines.device(),
                Engines.intraOpThreads());
        out.printf(Locale.ROOT, "malloc: %s%n", MallocSettings.read().describe());
        try (NDManager m = Engines.newManager()) {
            Timing gemm = gemmProbe(m);
            report(
                    out,
                    "probe sgemm 1576x768x3072",
                    0,
                    gemm,
                    peerBlocks,
                    "probe.gemm_1576x768x3072");
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
            Map<String, Parameter> params = StateDict.parameters(model);
            int s = c.config().imageSize();
            NDArray x = m.randomNormal(new Shape(c.batch(), 3, s, s));
            NDArray y =
                    m.randomUniform(0, 1, new Shape(c.batch(), 4))
                            .gt(0.5f)
                            .toType(DataType.FLOAT32, false);
            out.printf(
                    Locale.ROOT,
                    "%s (%.1f M params) batch %d at %d px:%n",
                    c.name(),
                    StateDict.parameterCount(model) / 1e6,
                    c.batch(),
                    s);
            Timing fwd =
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
            report(
                    out,
                    "  forward (no grad)",
                    c.batch(),
                    fwd,
                    peerBlocks,
                    c.peerName() + ".forward_no_grad_eval");
            // The same step as the PyTorch script's and the trainer's (without clipping): clear
            // gradients, forward, BCE, backward, AdamW.
            Timing train =
                    BenchTiming.trainStep(
                            warmup,
                            runs,
                            m,
                            params,
                            0,
                            (ms, tape) ->
                                    model.loss(
                                            model.run(
                                                            new ParameterStore(ms, false),
                                                            x,
                                                            true,
                                                            false,
                                                            false)
                                                    .logits(),
                                            y));
            report(
                    out,
                    "  train step (fwd+bwd+AdamW)",
                    c.batch(),
                    train,
                    peerBlocks,
                    c.peerName() + ".train_step_fwd_bwd_adamw");
        }
    }

    private Timing gemmProbe(NDManager root) {
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

    /**
     * One result line: median wall time, images/s (or GFLOP/s for the probe), cpu-est = median
     * process CPU seconds / threads (the time the run would take with the cores to itself, as the
     * PyTorch script estimates under contention), and the peer's figures with both ratios.
     */
    private static void report(
            PrintWriter out,
            String what,
            int batch,
            Timing t,
            JsonObject peerBlocks,
            String peerName) {
        int threads = Engines.intraOpThreads();
        String rate =
                batch > 0
                        ? String.format(Locale.ROOT, "%.1f images/s", batch / t.wallS())
                        : String.format(
                                Locale.ROOT,
                                "%.0f GFLOP/s",
                                2.0 * 1576 * 768 * 3072 / t.wallS() / 1e9);
        out.printf(
                Locale.ROOT,
                "%s: %.4f s, %s, cpu-est %.4f s%s%n",
                what,
                t.wallS(),
                rate,
                t.cpuS() / threads,
                peerText(peerBlocks, peerName, t, threads));
        out.flush();
    }

    private Timing median(Runnable r) {
        return BenchTiming.measure(warmup, runs, r);
    }

    /** The per-block summary of a pytorch_cpu_bench.py results file. */
    static JsonObject peerBlocks(Path file) throws IOException {
        JsonObject root = HfConfigs.read(file);
        for (String key : List.of("summary_first_run", "summary")) {
            if (root.has(key) && root.getAsJsonObject(key).has("blocks")) {
                return root.getAsJsonObject(key).getAsJsonObject("blocks");
            }
        }
        throw new IOException(
                file + ": no summary blocks (run the script with --summarize FILE first)");
    }

    /** "; PyTorch 1.18 s (cpu-est 1.17 s): ratio DJL/PyTorch 0.93 (cpu-est 0.95)". */
    static String peerText(JsonObject blocks, String name, Timing t, int threads) {
        if (blocks == null) {
            return "";
        }
        // Recorded files name blocks "malloc_nommap:<name>"; a --malloc nommap run,
        // "single:<name>".
        JsonObject b = null;
        for (String prefix : List.of("malloc_nommap:", "single:")) {
            if (b == null && blocks.has(prefix + name)) {
                b = blocks.getAsJsonObject(prefix + name);
            }
        }
        if (b == null) {
            return "";
        }
        JsonElement clean = b.get("clean_median_s");
        boolean isClean = clean != null && !clean.isJsonNull();
        double wall = isClean ? clean.getAsDouble() : b.get("median_s").getAsDouble();
        double cpuEst = b.get("cpu_est_s").getAsDouble();
        return String.format(
                Locale.ROOT,
                "; PyTorch %.4f s%s (cpu-est %.4f s): ratio DJL/PyTorch %.2f (cpu-est %.2f)",
                wall,
                isClean ? "" : " contended",
                cpuEst,
                t.wallS() / wall,
                t.cpuS() / threads / cpuEst);
    }
}
