package image2music.app.cli.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonObject;
import image2music.app.cli.bench.BenchTiming.Timing;
import image2music.models.diffusion.UNet2DConditionConfig;
import image2music.models.diffusion.UNet2DConditionModel;
import image2music.models.diffusion.lora.LoraLayers;
import image2music.models.diffusion.training.GeneratorPreset;
import image2music.models.nn.Engines;
import image2music.models.nn.StateDict;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Generator training steps as {@code train-generator} runs them (forward, MSE, backward,
 * global-norm clipping, AdamW): the from-scratch presets on a 64-bin × 128-px window, and LoRA rank
 * 4 on the SD-1.5 UNet at 256² and 512² (frozen base, batch 1), with the process's peak resident
 * memory.
 */
final class TrainingBench {

    private TrainingBench() {}

    /** Profiles one more run of a case (or does nothing, with {@code --no-profile}). */
    interface Profiler {
        void profile(Runnable r) throws IOException;
    }

    /**
     * Steps/s of each preset's UNet, batch 4, 64 mel bins × 128 px, 32-token text, each followed by
     * its operator profile.
     */
    static void presets(
            NDManager root,
            PrintWriter out,
            JsonObject peer,
            int warmup,
            int runs,
            Profiler profiler)
            throws IOException {
        for (GeneratorPreset p : GeneratorPreset.values()) {
            try (NDManager m = root.newSubManager()) {
                Engines.engine().setRandomSeed(0);
                UNet2DConditionConfig c = p.unetConfig(64);
                UNet2DConditionModel unet = new UNet2DConditionModel(c);
                unet.initialize(m, DataType.FLOAT32);
                String name = p.name().toLowerCase(Locale.ROOT);
                Runnable step =
                        step(
                                m,
                                unet,
                                StateDict.parameters(unet),
                                new Shape(4, 3, 64, 128),
                                GeneratorPreset.MAX_LENGTH,
                                false);
                Timing t = BenchTiming.measure(warmup, runs, step);
                out.printf(
                        Locale.ROOT,
                        "%s preset UNet (%.2f M params), train step batch 4 at 64x128 px: %.4f s"
                                + " (%.2f steps/s)%s%n",
                        name,
                        StateDict.parameterCount(unet) / 1e6,
                        t.wallS(),
                        1 / t.wallS(),
                        BenchModelsCommand.peerText(
                                peer,
                                "preset_" + name + ".train_step",
                                t,
                                Engines.intraOpThreads()));
                out.flush();
                profiler.profile(step);
            }
        }
    }

    /**
     * One LoRA (rank 4) step on the SD-1.5 UNet at {@code px}² (latents px/8), batch 1, with or
     * without gradient checkpointing: the median of {@code runs} after one untimed step (the first
     * pays for libtorch's kernel set-up), then its operator profile; the peak resident memory is
     * that of this case alone.
     */
    static void sd15Lora(
            NDManager root,
            PrintWriter out,
            JsonObject peer,
            int px,
            boolean checkpointing,
            int runs,
            Profiler profiler)
            throws IOException {
        resetPeakRss();
        try (NDManager m = root.newSubManager()) {
            Engines.engine().setRandomSeed(0);
            UNet2DConditionConfig c = UNet2DConditionConfig.sd15();
            UNet2DConditionModel unet = new UNet2DConditionModel(c);
            unet.initialize(m, DataType.FLOAT32);
            for (Parameter p : StateDict.parameters(unet).values()) {
                p.getArray().setRequiresGradient(false);
            }
            String name =
                    "sd15_lora_" + px + (checkpointing ? "_checkpointing" : "") + ".train_step";
            try (LoraLayers lora = LoraLayers.attach(unet, LoraLayers.Component.UNET, 4, 4, m)) {
                Runnable step =
                        step(
                                m,
                                unet,
                                lora.parameters(),
                                new Shape(1, 4, px / 8, px / 8),
                                77,
                                checkpointing);
                Timing t = BenchTiming.measure(1, runs, step);
                out.printf(
                        Locale.ROOT,
                        "SD-1.5 LoRA rank 4 (%.2f M trained of %.0f M), train step batch 1 at %dx%d%s:"
                                + " %.2f s, peak RSS %.1f GB%s%n",
                        lora.parameters().values().stream()
                                        .mapToLong(p -> p.getArray().size())
                                        .sum()
                                / 1e6,
                        StateDict.parameterCount(unet) / 1e6,
                        px,
                        px,
                        checkpointing ? ", gradient checkpointing" : "",
                        t.wallS(),
                        peakRssGb(),
                        peerMemory(peer, name)
                                + BenchModelsCommand.peerText(
                                        peer, name, t, Engines.intraOpThreads()));
                out.flush();
                profiler.profile(step);
            }
        }
    }

    /**
     * One training step of {@code params} on random data of shape {@code sample} (MSE against a
     * random target, clipping at norm 1, AdamW), as {@link BenchTiming#trainStep} runs it.
     */
    private static Runnable step(
            NDManager m,
            UNet2DConditionModel unet,
            Map<String, Parameter> params,
            Shape sample,
            int textLength,
            boolean checkpointing) {
        UNet2DConditionConfig c = unet.config();
        NDArray x = m.randomNormal(sample);
        NDArray target = m.randomNormal(sample);
        NDArray t = m.arange(0, sample.get(0), 1, DataType.INT64).mul(97).add(1);
        NDArray text = m.randomNormal(new Shape(sample.get(0), textLength, c.crossAttentionDim()));
        return BenchTiming.trainStep(
                m,
                params,
                1.0,
                (s, tape) ->
                        unet.run(
                                        new ParameterStore(s, false),
                                        x,
                                        t,
                                        text,
                                        true,
                                        null,
                                        checkpointing ? tape : null)
                                .sub(target)
                                .square()
                                .mean());
    }

    /** "; PyTorch peak RSS 9.1 GB" when the peer file has the case. */
    private static String peerMemory(JsonObject peer, String name) {
        if (peer == null || !peer.has("single:" + name)) {
            return "";
        }
        JsonObject b = peer.getAsJsonObject("single:" + name);
        return b.has("peak_rss_gb")
                ? String.format(
                        Locale.ROOT,
                        "; PyTorch peak RSS %.1f GB",
                        b.get("peak_rss_gb").getAsDouble())
                : "";
    }

    /** Starts the peak resident set anew from the current one (Linux; elsewhere nothing). */
    static void resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException e) {
            // not Linux: the peak stays the process's
        }
    }

    /** The process's peak resident set (Linux VmHWM), or NaN where unknown. */
    static double peakRssGb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: no figure
        }
        return Double.NaN;
    }
}
