package image2music.app.cli.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonObject;
import image2music.app.cli.EngineOptions;
import image2music.app.cli.bench.BenchTiming.Timing;
import image2music.models.diffusion.AutoencoderKL;
import image2music.models.diffusion.AutoencoderKLConfig;
import image2music.models.diffusion.UNet2DConditionConfig;
import image2music.models.diffusion.UNet2DConditionModel;
import image2music.models.nn.Engines;
import image2music.models.nn.StateDict;
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
 * {@code bench-diffusion}: the UNet and VAE configs of {@code pytorch_cpu_bench.py} (tiny UNet
 * forward and train step, SD-1.5 UNet CFG step at 64×64 latents, SD-1.5 VAE decode), medians after
 * warm-up and, given that script's results, the ratio DJL / PyTorch.
 */
@Command(
        name = "bench-diffusion",
        mixinStandardHelpOptions = true,
        description = {
            "Times a tiny UNet (32 px, channels 32/64/64, 1 layer per block; forward batch 2 and"
                    + " train step batch 8), the SD-1.5 UNet (64x64 latents, batch 2 = one CFG"
                    + " step) and the SD-1.5 VAE decode (64x64 latents to 512x512).",
            "Weights are random (timing only). With --peer, the ratio to PyTorch's figures."
        })
public final class BenchDiffusionCommand implements Callable<Integer> {

    private static final List<String> CASES =
            List.of(
                    "tiny-unet",
                    "tiny-unet-train",
                    "sd15-unet",
                    "sd15-vae-decode",
                    "tiny-generation",
                    "preset-train");

    /** Denoising steps of the tiny whole-generation case. */
    static final int TINY_GENERATION_STEPS = 20;

    @Option(
            names = "--runs",
            defaultValue = "3",
            paramLabel = "N",
            description = "Timed runs (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(
            names = "--warmup",
            defaultValue = "1",
            paramLabel = "N",
            description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
            names = "--only",
            paramLabel = "NAME",
            split = ",",
            description =
                    "Only these of: tiny-unet, tiny-unet-train, sd15-unet, sd15-vae-decode,"
                            + " tiny-generation, preset-train.")
    List<String> only;

    @Option(
            names = "--sd15-generation",
            paramLabel = "STEPS",
            description =
                    "Also time one whole SD-1.5 generation at 512x512 (random weights, CLIP-L"
                            + " text, guidance) of this many steps; slow on a CPU (about 10-30 s"
                            + " per step on 2 cores).")
    Integer sd15GenerationSteps;

    @Option(
            names = "--sd15-lora",
            description =
                    "Also time a LoRA (rank 4) training step of the SD-1.5 UNet at 256x256 and"
                            + " 512x512 (batch 1, random weights), with and without gradient"
                            + " checkpointing, with peak memory; slow on a CPU.")
    boolean sd15Lora;

    @Option(
            names = "--peer",
            paramLabel = "FILE",
            description = "pytorch_cpu_bench.py results JSON to compare with.")
    Path peer;

    @Option(
            names = "--training-peer",
            paramLabel = "FILE",
            description =
                    "bench/generator_training_peer.py results JSON to compare the training steps"
                            + " with.")
    Path trainingPeer;

    @Option(
            names = "--no-profile",
            description =
                    "Skip the profiled run after each UNet and VAE case (its per-operator shares"
                            + " of the time).")
    boolean noProfile;

    @Mixin EngineOptions engine;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    /** The tiny UNet of the PyTorch script. */
    static UNet2DConditionConfig tinyUnet() {
        JsonObject o = new JsonObject();
        o.addProperty("sample_size", 32);
        o.add("block_out_channels", ints(32, 64, 64));
        o.addProperty("layers_per_block", 1);
        o.add(
                "down_block_types",
                strings("CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"));
        o.add("up_block_types", strings("UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"));
        o.addProperty("attention_head_dim", 8);
        o.addProperty("cross_attention_dim", 64);
        return UNet2DConditionConfig.fromJson(o);
    }

    @Override
    public Integer call() throws IOException {
        if (sd15GenerationSteps != null && sd15GenerationSteps < 1) {
            throw new IllegalArgumentException("--sd15-generation needs >= 1 step");
        }
        if (runs < 1 || warmup < 0) {
            throw new IllegalArgumentException("--runs must be >= 1 and --warmup >= 0");
        }
        if (only != null && !CASES.containsAll(only)) {
            throw new IllegalArgumentException("--only takes " + CASES + ", got " + only);
        }
        JsonObject peerBlocks = peer == null ? null : BenchModelsCommand.peerBlocks(peer);
        JsonObject trainingBlocks =
                trainingPeer == null ? null : BenchModelsCommand.peerBlocks(trainingPeer);
        engine.start();
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                Locale.ROOT,
                "bench-diffusion: PyTorch %s via DJL, device %s, %d intra-op threads%n",
                Engines.engine().getVersion(),
                Engines.device(),
                Engines.intraOpThreads());
        out.printf(
                Locale.ROOT,
                "CPU: %s; precision float32 (DJL has no bfloat16 type)%n",
                CpuInfo.read().describe());
        out.printf(Locale.ROOT, "malloc: %s%n", MallocSettings.read().describe());
        try (NDManager m = Engines.newManager()) {
            if (wanted("tiny-unet") || wanted("tiny-unet-train")) {
                benchUnet(m, tinyUnet(), 32, 77, "tiny_unet", out, peerBlocks, true);
            }
            if (wanted("sd15-unet")) {
                benchUnet(
                        m,
                        UNet2DConditionConfig.sd15(),
                        64,
                        77,
                        "sd15_unet",
                        out,
                        peerBlocks,
                        false);
            }
            if (wanted("sd15-vae-decode")) {
                benchVae(m, out, peerBlocks);
            }
            if (wanted("tiny-generation")) {
                GenerationBench.tiny(m, out, peer, TINY_GENERATION_STEPS, runs, warmup);
            }
            if (wanted("preset-train")) {
                TrainingBench.presets(m, out, trainingBlocks, warmup, runs, r -> profile(out, r));
            }
            if (sd15Lora) {
                for (int px : new int[] {256, 512}) {
                    for (boolean checkpointing : new boolean[] {true, false}) {
                        TrainingBench.sd15Lora(
                                m,
                                out,
                                trainingBlocks,
                                px,
                                checkpointing,
                                runs,
                                r -> profile(out, r));
                    }
                }
            }
            if (sd15GenerationSteps != null) {
                GenerationBench.sd15(m, out, peer, sd15GenerationSteps);
            }
        }
        return 0;
    }

    private boolean wanted(String name) {
        return only == null || only.contains(name);
    }

    private void benchUnet(
            NDManager root,
            UNet2DConditionConfig c,
            int size,
            int textLength,
            String peerName,
            PrintWriter out,
            JsonObject peerBlocks,
            boolean tiny)
            throws IOException {
        try (NDManager m = root.newSubManager()) {
            Engines.engine().setRandomSeed(0);
            UNet2DConditionModel unet = new UNet2DConditionModel(c);
            unet.initialize(m, DataType.FLOAT32);
            out.printf(
                    Locale.ROOT,
                    "%s UNet (%.1f M params) at %dx%d latents, text %d x %d:%n",
                    tiny ? "tiny" : "SD-1.5",
                    StateDict.parameterCount(unet) / 1e6,
                    size,
                    size,
                    textLength,
                    c.crossAttentionDim());
            if (!tiny || wanted("tiny-unet")) {
                Inputs in = inputs(m, c, 2, size, textLength);
                Runnable forward =
                        () -> {
                            try (NDManager step = m.newSubManager()) {
                                unet.run(
                                                new ParameterStore(step, false),
                                                in.sample,
                                                in.t,
                                                in.text,
                                                false,
                                                null)
                                        .toFloatArray();
                            }
                        };
                report(
                        out,
                        "  forward (no grad), batch 2",
                        median(forward),
                        peerBlocks,
                        peerName + (tiny ? ".forward_no_grad_batch2" : ".forward_no_grad"));
                profile(out, forward);
            }
            if (tiny && wanted("tiny-unet-train")) {
                Inputs in = inputs(m, c, 8, size, textLength);
                NDArray target = m.randomNormal(in.sample.getShape());
                Map<String, Parameter> params = StateDict.parameters(unet);
                Timing train =
                        BenchTiming.trainStep(
                                warmup,
                                runs,
                                m,
                                params,
                                0,
                                (s, tape) ->
                                        unet.run(
                                                        new ParameterStore(s, false),
                                                        in.sample,
                                                        in.t,
                                                        in.text,
                                                        true,
                                                        null)
                                                .sub(target)
                                                .square()
                                                .mean());
                report(
                        out,
                        "  train step (fwd+bwd+AdamW), batch 8",
                        train,
                        peerBlocks,
                        peerName + ".train_step_batch8");
            }
        }
    }

    private void benchVae(NDManager root, PrintWriter out, JsonObject peerBlocks)
            throws IOException {
        try (NDManager m = root.newSubManager()) {
            Engines.engine().setRandomSeed(0);
            AutoencoderKL vae = new AutoencoderKL(AutoencoderKLConfig.sd15());
            vae.initialize(m, DataType.FLOAT32);
            NDArray z = m.randomNormal(new Shape(1, 4, 64, 64));
            out.printf(
                    Locale.ROOT,
                    "SD-1.5 VAE (%.1f M params), decode 1x4x64x64 -> 512x512:%n",
                    StateDict.parameterCount(vae) / 1e6);
            Runnable decode =
                    () -> {
                        try (NDManager step = m.newSubManager()) {
                            vae.decode(new ParameterStore(step, false), z, false).toFloatArray();
                        }
                    };
            report(
                    out,
                    "  decode (no grad)",
                    median(decode),
                    peerBlocks,
                    "sd15_vae_decode.decode_no_grad");
            profile(out, decode);
        }
    }

    private record Inputs(NDArray sample, NDArray t, NDArray text) {}

    private static Inputs inputs(
            NDManager m, UNet2DConditionConfig c, int batch, int size, int textLength) {
        return new Inputs(
                m.randomNormal(new Shape(batch, c.inChannels(), size, size)),
                m.arange(0, batch, 1, DataType.INT64).mul(97).add(1),
                m.randomNormal(new Shape(batch, textLength, c.crossAttentionDim())));
    }

    private static void report(
            PrintWriter out, String what, Timing t, JsonObject peerBlocks, String peerName) {
        int threads = Engines.intraOpThreads();
        out.printf(
                Locale.ROOT,
                "%s: %.4f s, cpu-est %.4f s%s%n",
                what,
                t.wallS(),
                t.cpuS() / threads,
                BenchModelsCommand.peerText(peerBlocks, peerName, t, threads));
        out.flush();
    }

    /** One more run of {@code r}, profiled: the operators' shares of its time. */
    private void profile(PrintWriter out, Runnable r) throws IOException {
        if (noProfile) {
            return;
        }
        out.printf(
                Locale.ROOT, "    where the time goes: %s%n", OpProfile.format(OpProfile.of(r), 8));
        out.flush();
    }

    private Timing median(Runnable r) {
        return BenchTiming.measure(warmup, runs, r);
    }

    private static com.google.gson.JsonArray ints(int... v) {
        com.google.gson.JsonArray a = new com.google.gson.JsonArray();
        for (int x : v) {
            a.add(x);
        }
        return a;
    }

    private static com.google.gson.JsonArray strings(String... v) {
        com.google.gson.JsonArray a = new com.google.gson.JsonArray();
        for (String x : v) {
            a.add(x);
        }
        return a;
    }
}
