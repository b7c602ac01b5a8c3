package image2music.app.cli.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.models.clip.CLIPTextConfig;
import image2music.models.clip.CLIPTextModel;
import image2music.models.diffusion.AutoencoderKL;
import image2music.models.diffusion.AutoencoderKLConfig;
import image2music.models.diffusion.UNet2DConditionConfig;
import image2music.models.diffusion.UNet2DConditionModel;
import image2music.models.diffusion.longform.ClipStore;
import image2music.models.diffusion.pipeline.GenerationProgress;
import image2music.models.diffusion.pipeline.GenerationRequest;
import image2music.models.diffusion.pipeline.StableDiffusionPipeline;
import image2music.models.diffusion.pipeline.TinyPipelines;
import image2music.models.nn.Engines;
import image2music.models.nn.HfConfigs;
import image2music.pipeline.MusicPiece;
import image2music.pipeline.TextToMusic;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Whole-generation timings for {@code bench-diffusion}: text encoding, guided denoising and VAE
 * decoding through {@link StableDiffusionPipeline}, with random weights. PyTorch has no
 * whole-generation figure; its peer is composed from the same file's blocks (steps × the UNet CFG
 * step, plus the VAE decode where measured).
 */
public final class GenerationBench {

    private GenerationBench() {}

    /**
     * The tiny UNet of the PyTorch script (32×32 latents, CFG batch 2) with a 64-wide text encoder
     * over 77 tokens and the 8-px-per-latent tiny VAE: a 256×256 image.
     */
    static void tiny(NDManager root, PrintWriter out, Path peer, int steps, int runs, int warmup)
            throws IOException {
        UNet2DConditionConfig unetConfig = BenchDiffusionCommand.tinyUnet();
        CLIPTextConfig text =
                new CLIPTextConfig(
                        TinyPipelines.VOCAB_SIZE,
                        64,
                        128,
                        64,
                        2,
                        4,
                        77,
                        "quick_gelu",
                        1e-5f,
                        0f,
                        0.02f,
                        1f,
                        1,
                        98,
                        CLIPTextConfig.LEGACY_EOS_TOKEN_ID,
                        null);
        try (StableDiffusionPipeline p =
                build(root, text, unetConfig, TinyPipelines.vaeConfig(), 77)) {
            GenerationRequest r =
                    new GenerationRequest("calm piano", "", 7.0, steps, 0, 256, 256, null, 1);
            double[] t = new double[runs];
            for (int i = 0; i < warmup + runs; i++) {
                long start = System.nanoTime();
                p.generate(r, GenerationProgress.NONE, root);
                if (i >= warmup) {
                    t[i - warmup] = (System.nanoTime() - start) / 1e9;
                }
            }
            Arrays.sort(t);
            double median = t[runs / 2];
            Double peerUnet = peerMedian(peer, "tiny_unet", "forward_no_grad_batch2");
            report(out, "tiny", steps, median, peerUnet == null ? null : steps * peerUnet);
        }
    }

    /**
     * A riffusion-size clip end to end, as {@code text-to-audio} makes it: SD-1.5 (UNet, VAE,
     * CLIP-L text) at 512×512 with random weights, {@code steps} guided DPM-Solver++ steps, the VAE
     * decode and the inversion of the 512-bin spectrogram to 5.11 s of audio; one timed run, with
     * its peak memory.
     */
    static void sd15(NDManager root, PrintWriter out, Path peer, int steps) throws IOException {
        TrainingBench.resetPeakRss();
        try (StableDiffusionPipeline p =
                build(
                        root,
                        CLIPTextConfig.clipVitLargePatch14(),
                        UNet2DConditionConfig.sd15(),
                        AutoencoderKLConfig.sd15(),
                        77)) {
            // DPM-Solver++ makes exactly `steps` UNet calls (PNDM's first repeats a timestep).
            GenerationRequest r =
                    new GenerationRequest("calm piano", "", 7.0, steps, 0, 512, 512, "dpm++", 1);
            long start = System.nanoTime();
            MusicPiece piece =
                    new TextToMusic(p, SpectrogramParams.defaults())
                            .generate(
                                    r,
                                    null,
                                    i -> ClipStore.NONE,
                                    (image, step, n) ->
                                            out.printf(
                                                    Locale.ROOT,
                                                    "  step %d/%d at %.1f s%n",
                                                    step,
                                                    n,
                                                    (System.nanoTime() - start) / 1e9),
                                    root)
                            .get(0);
            double seconds = (System.nanoTime() - start) / 1e9;
            Double unet = peerMedian(peer, "sd15_unet", "forward_no_grad");
            Double vae = peerMedian(peer, "sd15_vae_decode", "decode_no_grad");
            Double text = peerMedian(peer, "clip_text", "forward_no_grad");
            Double composed =
                    unet == null || vae == null
                            ? null
                            : steps * unet + vae + (text == null ? 0 : text);
            report(out, "SD-1.5", steps, piece.generateSeconds(), composed);
            out.printf(
                    Locale.ROOT,
                    "  the same plus inversion to %.2f s of audio (%.1f s of it): %.1f s end to end;"
                            + " peak RSS %.1f GB%n",
                    piece.audio().durationSeconds(),
                    piece.audioSeconds(),
                    seconds,
                    TrainingBench.peakRssGb());
        }
    }

    private static StableDiffusionPipeline build(
            NDManager root,
            CLIPTextConfig text,
            UNet2DConditionConfig unetConfig,
            AutoencoderKLConfig vaeConfig,
            int maxLength) {
        NDManager weights = root.newSubManager();
        Engines.engine().setRandomSeed(0);
        CLIPTextModel encoder = new CLIPTextModel(text);
        UNet2DConditionModel unet = new UNet2DConditionModel(unetConfig);
        AutoencoderKL vae = new AutoencoderKL(vaeConfig);
        encoder.initialize(weights, DataType.FLOAT32);
        unet.initialize(weights, DataType.FLOAT32);
        vae.initialize(weights, DataType.FLOAT32);
        return new StableDiffusionPipeline(
                TinyPipelines.tokenizer(maxLength),
                encoder,
                unet,
                vae,
                TinyPipelines.sd15Scheduler(),
                weights);
    }

    private static void report(
            PrintWriter out, String what, int steps, double seconds, Double peerSeconds) {
        out.printf(
                Locale.ROOT,
                "%s whole generation (%d guided steps, text + denoise + VAE decode): %.3f s,"
                        + " %.3f s per step%s%n",
                what,
                steps,
                seconds,
                seconds / steps,
                peerSeconds == null
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                "; PyTorch composed from its blocks %.3f s: ratio DJL/PyTorch %.2f",
                                peerSeconds,
                                seconds / peerSeconds));
        out.flush();
    }

    /** {@code quiet_rerun_results.<model>.<block>} clean median (else median) of the peer file. */
    private static Double peerMedian(Path peer, String model, String block) throws IOException {
        if (peer == null) {
            return null;
        }
        JsonObject root = HfConfigs.read(peer);
        JsonObject q = root.getAsJsonObject("quiet_rerun_results");
        if (q == null || !q.has(model) || !q.getAsJsonObject(model).has(block)) {
            return null;
        }
        JsonObject b = q.getAsJsonObject(model).getAsJsonObject(block);
        JsonElement clean = b.get("clean_median_s");
        return clean != null && !clean.isJsonNull()
                ? clean.getAsDouble()
                : b.get("median_s").getAsDouble();
    }
}
