package image2music.models.diffusion.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonObject;
import image2music.models.clip.CLIPTextModel;
import image2music.models.clip.CLIPTokenizer;
import image2music.models.diffusion.AutoencoderKL;
import image2music.models.diffusion.UNet2DConditionModel;
import image2music.models.diffusion.schedulers.NoiseSource;
import image2music.models.diffusion.schedulers.Scheduler;
import image2music.models.diffusion.schedulers.Schedulers;
import image2music.models.diffusion.schedulers.StepOutput;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Text-to-image generation with a Stable Diffusion 1.x-shaped model (or our pixel-space variant):
 * CLIP tokenizer and text encoder, UNet, optional VAE and a scheduler, one component per subfolder
 * of a diffusers pipeline folder ({@link PipelineFolder} loads and saves them).
 *
 * <p>Each image: the prompt and negative prompt are encoded; seeded standard-normal latents (drawn
 * in Java, so a seed gives the same start on any device) are scaled by the scheduler's initial
 * sigma; each step predicts the noise for the negative and positive embeddings in one batch of two
 * and mixes them with classifier-free guidance (one pass when the guidance is 1 or less); the
 * latents are decoded by the VAE ({@code latents / scaling_factor}) to RGB in [0, 255]. Every step
 * runs in its own sub-manager so a 50-step run holds no more arrays than a 5-step one.
 *
 * <p>Holds the components' weights until {@link #close()}. Not thread-safe: one generation at a
 * time.
 */
public final class StableDiffusionPipeline implements AutoCloseable {

    private final CLIPTokenizer tokenizer;
    private final CLIPTextModel textEncoder;
    private final UNet2DConditionModel unet;
    private final AutoencoderKL vae;
    private final JsonObject schedulerConfig;
    private final NDManager weights;

    /**
     * A pipeline over ready components; {@code weights} (the manager holding their parameters) is
     * closed with the pipeline.
     *
     * @param vae null for a pixel-space model
     * @param schedulerConfig a {@code scheduler_config.json} object
     * @throws IllegalArgumentException if the components do not fit together
     */
    public StableDiffusionPipeline(
            CLIPTokenizer tokenizer,
            CLIPTextModel textEncoder,
            UNet2DConditionModel unet,
            AutoencoderKL vae,
            JsonObject schedulerConfig,
            NDManager weights) {
        this.tokenizer = tokenizer;
        this.textEncoder = textEncoder;
        this.unet = unet;
        this.vae = vae;
        this.schedulerConfig = schedulerConfig.deepCopy();
        this.weights = weights;
        checkFit();
        // Fail now, not mid-generation, on a scheduler config we cannot build.
        Schedulers.fromConfig(schedulerConfig, null).close();
    }

    private void checkFit() {
        int hidden = textEncoder.config().hiddenSize();
        if (unet.config().crossAttentionDim() != hidden) {
            throw new IllegalArgumentException(
                    "unet cross_attention_dim "
                            + unet.config().crossAttentionDim()
                            + " differs from text_encoder hidden_size "
                            + hidden);
        }
        if (tokenizer.maxLength() > textEncoder.config().maxPositionEmbeddings()) {
            throw new IllegalArgumentException(
                    "tokenizer model_max_length "
                            + tokenizer.maxLength()
                            + " exceeds text_encoder max_position_embeddings "
                            + textEncoder.config().maxPositionEmbeddings());
        }
        int imageChannels = vae == null ? 3 : vae.config().latentChannels();
        String what = vae == null ? "3 (RGB, pixel-space model)" : "vae latent_channels";
        if (unet.config().inChannels() != imageChannels
                || unet.config().outChannels() != imageChannels) {
            throw new IllegalArgumentException(
                    "unet in/out_channels "
                            + unet.config().inChannels()
                            + "/"
                            + unet.config().outChannels()
                            + " differ from "
                            + what
                            + " "
                            + imageChannels);
        }
    }

    /** The tokenizer. */
    public CLIPTokenizer tokenizer() {
        return tokenizer;
    }

    /** The text encoder. */
    public CLIPTextModel textEncoder() {
        return textEncoder;
    }

    /** The denoiser. */
    public UNet2DConditionModel unet() {
        return unet;
    }

    /** The VAE, or null for a pixel-space model. */
    public AutoencoderKL vae() {
        return vae;
    }

    /** The scheduler configuration ({@code scheduler_config.json}), a copy. */
    public JsonObject schedulerConfig() {
        return schedulerConfig.deepCopy();
    }

    /** The scheduler class a request with {@code override} (null: the pipeline's) runs. */
    public String schedulerClass(String override) {
        try (Scheduler s = Schedulers.fromConfig(schedulerConfig, override)) {
            return s.config().className();
        }
    }

    /** Pixels per latent cell along each side: 2^(VAE levels − 1), or 1 without a VAE. */
    public int pixelsPerLatent() {
        return vae == null ? 1 : 1 << (vae.config().blockOutChannels().size() - 1);
    }

    /**
     * Generates the request's images in a sub-manager of {@code manager}, which is left as it was.
     *
     * @throws IllegalArgumentException if the size does not fit the model or the scheduler is
     *     unknown
     */
    public List<GeneratedImage> generate(
            GenerationRequest request, GenerationProgress progress, NDManager manager) {
        int latentH = latentSide(request.height(), "height");
        int latentW = latentSide(request.width(), "width");
        List<GeneratedImage> out = new ArrayList<>();
        for (int i = 0; i < request.batch(); i++) {
            long start = System.nanoTime();
            long seed = request.seed() + i;
            BufferedImage image;
            try (NDManager m = manager.newSubManager()) {
                NDArray latents = denoise(request, seed, latentH, latentW, i, progress, m);
                image = toImage(decode(latents, m));
            }
            out.add(new GeneratedImage(image, seed, (System.nanoTime() - start) / 1e9));
        }
        return out;
    }

    private int latentSide(int pixels, String name) {
        int f = pixelsPerLatent();
        // The UNet halves the latents once per down block but the last.
        int unetFactor = 1 << (unet.config().downBlockTypes().size() - 1);
        if (pixels % (f * unetFactor) != 0) {
            throw new IllegalArgumentException(
                    name
                            + " "
                            + pixels
                            + " px is not a multiple of "
                            + f * unetFactor
                            + " (VAE factor "
                            + f
                            + " × UNet factor "
                            + unetFactor
                            + ")");
        }
        return pixels / f;
    }

    private NDArray denoise(
            GenerationRequest r,
            long seed,
            int latentH,
            int latentW,
            int image,
            GenerationProgress progress,
            NDManager m) {
        boolean cfg = r.usesGuidance();
        NDArray context =
                cfg
                        ? encodeText(List.of(r.negativePrompt(), r.prompt()), m)
                        : encodeText(List.of(r.prompt()), m);
        NoiseSource noise = NoiseSource.seeded(seed);
        try (Scheduler scheduler = Schedulers.fromConfig(schedulerConfig, r.scheduler())) {
            scheduler.setTimesteps(r.steps());
            Shape shape = new Shape(1, unet.config().inChannels(), latentH, latentW);
            NDArray latents;
            try (NDArray draw = noise.next(m, shape, DataType.FLOAT32)) {
                latents = draw.mul((float) scheduler.initNoiseSigma());
            }
            double[] timesteps = scheduler.timesteps();
            for (int s = 0; s < timesteps.length; s++) {
                latents = step(scheduler, latents, timesteps[s], context, cfg, r.guidance(), noise);
                progress.stepDone(image, s + 1, timesteps.length);
            }
            return latents;
        }
    }

    private NDArray step(
            Scheduler scheduler,
            NDArray latents,
            double t,
            NDArray context,
            boolean cfg,
            double guidance,
            NoiseSource noise) {
        NDManager m = latents.getManager();
        NDArray next;
        try (NDManager step = m.newSubManager()) {
            NDArray input = latents;
            if (cfg) {
                input = NDArrays.concat(new NDList(latents, latents));
                input.attach(step);
            }
            NDArray scaled = scheduler.scaleModelInput(input, t);
            if (scaled != latents) {
                scaled.attach(step);
            }
            NDArray timestep = step.create(new float[] {(float) t}).repeat(cfg ? 2 : 1);
            NDArray eps = unet.predict(step, scaled, timestep, context);
            if (cfg) {
                NDList halves = eps.split(2);
                NDArray uncond = halves.get(0);
                eps = uncond.add(halves.get(1).sub(uncond).mul((float) guidance));
            }
            StepOutput out = scheduler.step(eps, t, latents, noise);
            next = out.prevSample();
            if (out.predOriginalSample() != null && out.predOriginalSample() != next) {
                out.predOriginalSample().close();
            }
            next.attach(m);
        }
        if (next != latents) {
            latents.close();
        }
        return next;
    }

    /** The last hidden states [B, L, C] of {@code texts}, kept in {@code m}. */
    private NDArray encodeText(List<String> texts, NDManager m) {
        long[][] ids = tokenizer.inputIds(texts);
        try (NDManager scratch = m.newSubManager()) {
            long[] flat = new long[ids.length * ids[0].length];
            for (int i = 0; i < ids.length; i++) {
                System.arraycopy(ids[i], 0, flat, i * ids[0].length, ids[0].length);
            }
            NDArray input = scratch.create(flat, new Shape(ids.length, ids[0].length));
            NDArray hidden =
                    textEncoder
                            .run(new ParameterStore(scratch, false), input, false, false)
                            .lastHiddenState();
            hidden.attach(m);
            return hidden;
        }
    }

    /** The image [1, 3, H, W] in about [−1, 1]. */
    private NDArray decode(NDArray latents, NDManager m) {
        if (vae == null) {
            return latents;
        }
        try (NDManager scratch = m.newSubManager()) {
            NDArray z = latents.div(vae.scalingFactor());
            z.attach(scratch);
            return vae.decode(m, z);
        }
    }

    /** [1, 3, H, W] in [−1, 1] to an RGB image, as diffusers' {@code (x / 2 + 0.5).clamp(0, 1)}. */
    static BufferedImage toImage(NDArray image) {
        Shape s = image.getShape();
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        float[] v = image.toType(DataType.FLOAT32, false).toFloatArray();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int plane = h * w;
        int[] rgb = new int[plane];
        for (int p = 0; p < plane; p++) {
            rgb[p] = (byte8(v[p]) << 16) | (byte8(v[plane + p]) << 8) | byte8(v[2 * plane + p]);
        }
        out.setRGB(0, 0, w, h, rgb, 0, w);
        return out;
    }

    private static int byte8(float x) {
        double unit = Math.min(1.0, Math.max(0.0, x / 2.0 + 0.5));
        return (int) Math.round(unit * 255.0);
    }

    @Override
    public void close() {
        weights.close();
    }
}
