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
import image2music.models.diffusion.guidance.InpaintMask;
import image2music.models.diffusion.guidance.Strength;
import image2music.models.diffusion.schedulers.NoiseSource;
import image2music.models.diffusion.schedulers.Scheduler;
import image2music.models.diffusion.schedulers.SchedulerChoice;
import image2music.models.diffusion.schedulers.Schedulers;
import image2music.models.diffusion.schedulers.StepOutput;
import image2music.models.nn.Tensors;
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
    private final PixelNormalization pixelNormalization;
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
        this(
                tokenizer,
                textEncoder,
                unet,
                vae,
                PixelNormalization.IDENTITY,
                schedulerConfig,
                weights);
    }

    /**
     * A pipeline over ready components, a pixel-space one's images normalised by {@code
     * pixelNormalization} for its UNet.
     *
     * @throws IllegalArgumentException if the components do not fit together, or a latent model is
     *     given a pixel normalisation
     */
    public StableDiffusionPipeline(
            CLIPTokenizer tokenizer,
            CLIPTextModel textEncoder,
            UNet2DConditionModel unet,
            AutoencoderKL vae,
            PixelNormalization pixelNormalization,
            JsonObject schedulerConfig,
            NDManager weights) {
        if (vae != null && !pixelNormalization.isIdentity()) {
            throw new IllegalArgumentException("only a pixel-space pipeline normalises pixels");
        }
        this.tokenizer = tokenizer;
        this.textEncoder = textEncoder;
        this.unet = unet;
        this.vae = vae;
        this.pixelNormalization = pixelNormalization;
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
        if (tokenizer.maxId() >= textEncoder.config().vocabSize()) {
            throw new IllegalArgumentException(
                    "tokenizer vocab.json has id "
                            + tokenizer.maxId()
                            + ", outside text_encoder vocab_size "
                            + textEncoder.config().vocabSize());
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

    /** How a pixel-space model's images are scaled for its UNet (the identity with a VAE). */
    public PixelNormalization pixelNormalization() {
        return pixelNormalization;
    }

    /** The scheduler configuration ({@code scheduler_config.json}), a copy. */
    public JsonObject schedulerConfig() {
        return schedulerConfig.deepCopy();
    }

    /** The scheduler class a request with {@code override} (null: the pipeline's) runs. */
    public String schedulerClass(String override) {
        return scheduler(override).className();
    }

    /**
     * The scheduler a request with {@code override} (null: the pipeline's) runs, resolved once for
     * all its denoising runs.
     *
     * @throws IllegalArgumentException if the name is unknown
     */
    public SchedulerChoice scheduler(String override) {
        return SchedulerChoice.of(schedulerConfig, override);
    }

    /** Pixels per latent cell along each side: 2^(VAE levels − 1), or 1 without a VAE. */
    public int pixelsPerLatent() {
        return vae == null ? 1 : 1 << (vae.config().blockOutChannels().size() - 1);
    }

    /**
     * Generates the request's images from pure noise, in a sub-manager of {@code manager}, which is
     * left as it was.
     *
     * @throws IllegalArgumentException if the size does not fit the model or the scheduler is
     *     unknown
     */
    public List<GeneratedImage> generate(
            GenerationRequest request, GenerationProgress progress, NDManager manager) {
        return run(request, null, null, null, progress, manager);
    }

    /**
     * img2img: generates the request's images from {@code init} noised to {@code strength}; with a
     * {@code mask}, only its white cells are regenerated and every other pixel comes out exactly as
     * in {@code init} (inpainting). At strength 0 no step runs and {@code init} is returned.
     *
     * @param init an RGB image of the request's width and height
     * @param mask null to regenerate the whole image
     * @throws IllegalArgumentException if the image or mask size differs from the request's
     */
    public List<GeneratedImage> imageToImage(
            GenerationRequest request,
            BufferedImage init,
            Strength strength,
            InpaintMask mask,
            GenerationProgress progress,
            NDManager manager) {
        checkSize("init image", init.getWidth(), init.getHeight(), request);
        if (mask != null) {
            checkSize("mask", mask.width(), mask.height(), request);
        }
        return run(request, init, strength, mask, progress, manager);
    }

    private List<GeneratedImage> run(
            GenerationRequest request,
            BufferedImage init,
            Strength strength,
            InpaintMask mask,
            GenerationProgress progress,
            NDManager manager) {
        Shape shape = latentShape(request.width(), request.height());
        SchedulerChoice scheduler = scheduler(request.scheduler());
        List<GeneratedImage> out = new ArrayList<>();
        for (int i = 0; i < request.batch(); i++) {
            long start = System.nanoTime();
            long seed = request.seed() + i;
            BufferedImage image;
            try (NDManager m = manager.newSubManager()) {
                TextConditioning text =
                        encodePrompt(
                                request.prompt(), request.negativePrompt(), request.guidance(), m);
                NoiseSource noise = NoiseSource.seeded(seed);
                NDArray initialNoise = noise.next(m, shape, DataType.FLOAT32);
                LatentInit latentInit = init == null ? null : latentInit(init, strength, mask, m);
                int index = i;
                NDArray latents =
                        denoise(
                                text,
                                initialNoise,
                                latentInit,
                                request.steps(),
                                scheduler,
                                noise,
                                (img, step, steps) -> progress.stepDone(index, step, steps));
                image =
                        init == null
                                ? decodeImage(latents, m)
                                : finishImage(latents, init, strength, mask, request.steps(), m);
            }
            out.add(new GeneratedImage(image, seed, (System.nanoTime() - start) / 1e9));
        }
        return out;
    }

    /**
     * @throws IllegalArgumentException naming {@code what} if it is not the request's size
     */
    static void checkSize(String what, int width, int height, GenerationRequest request) {
        if (width != request.width() || height != request.height()) {
            throw new IllegalArgumentException(
                    String.format(
                            "%s is %dx%d px, the request %dx%d px",
                            what, width, height, request.width(), request.height()));
        }
    }

    /**
     * The start of an img2img run from {@code init}: its latents, the strength and the mask on the
     * latent grid (null for none), kept in {@code m}.
     */
    public LatentInit latentInit(
            BufferedImage init, Strength strength, InpaintMask mask, NDManager m) {
        NDArray known = encodeImage(init, m);
        NDArray latentMask =
                mask == null ? null : mask.toLatentGrid(pixelsPerLatent()).toNDArray(m);
        return new LatentInit(known, strength, latentMask);
    }

    /**
     * The image of an img2img run from {@code init}: {@code init} itself when no step ran (not its
     * VAE round trip), else the decoded latents with {@code init}'s pixels outside the mask.
     */
    public BufferedImage finishImage(
            NDArray latents,
            BufferedImage init,
            Strength strength,
            InpaintMask mask,
            int steps,
            NDManager m) {
        if (strength.initSteps(steps) == 0) {
            return copy(init);
        }
        BufferedImage image = decodeImage(latents, m);
        return mask == null ? image : mask.composite(image, init);
    }

    /**
     * The latent shape {@code [1, C, H / f, W / f]} of a {@code width × height} image.
     *
     * @throws IllegalArgumentException if a side is not a multiple of what the VAE and UNet need
     */
    public Shape latentShape(int width, int height) {
        return new Shape(
                1,
                unet.config().inChannels(),
                latentSide(height, "height"),
                latentSide(width, "width"));
    }

    /**
     * What an image side must be a multiple of: the VAE factor times the UNet's downsampling (2 per
     * down block but the last).
     */
    public int sizeMultiple() {
        return pixelsPerLatent() * unetFactor();
    }

    private int unetFactor() {
        return 1 << (unet.config().downBlockTypes().size() - 1);
    }

    private int latentSide(int pixels, String name) {
        int f = pixelsPerLatent();
        int unetFactor = unetFactor();
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

    /**
     * The conditioning for {@code prompt}: its hidden states, preceded by the negative prompt's
     * when {@code guidance > 1} (classifier-free guidance), kept in {@code m}.
     */
    public TextConditioning encodePrompt(
            String prompt, String negativePrompt, double guidance, NDManager m) {
        String negative = negativePrompt == null ? "" : negativePrompt;
        NDArray context =
                guidance > 1.0
                        ? encodeText(List.of(negative, prompt), m)
                        : encodeText(List.of(prompt), m);
        return new TextConditioning(context, guidance);
    }

    /**
     * Denoises {@code noise} (a standard-normal draw of the latent shape) under {@code text}: from
     * pure noise when {@code init} is null, else from {@code init}'s latents noised to its strength
     * (diffusers' img2img: the last {@code floor(steps · strength)} of the {@code steps}-step grid
     * run; strength 1 starts from pure noise, as diffusers' inpainting does). With a mask, the kept
     * cells are reset after every step to the known latents noised with the same {@code noise} to
     * the next timestep's level, and to the known latents themselves after the last.
     *
     * @param schedulerChoice the scheduler, resolved once per generation ({@link #scheduler}); a
     *     fresh instance runs each call
     * @param stepNoise where stochastic schedulers draw their per-step noise
     * @return the final latents, in {@code noise}'s manager
     */
    public NDArray denoise(
            TextConditioning text,
            NDArray noise,
            LatentInit init,
            int steps,
            SchedulerChoice schedulerChoice,
            NoiseSource stepNoise,
            GenerationProgress progress) {
        NDManager m = noise.getManager();
        if (init != null && !init.latents().getShape().equals(noise.getShape())) {
            throw new IllegalArgumentException(
                    "init latents "
                            + init.latents().getShape()
                            + " differ from the noise "
                            + noise.getShape());
        }
        try (Scheduler scheduler = schedulerChoice.create()) {
            scheduler.setTimesteps(steps);
            double[] timesteps = scheduler.timesteps();
            // Evaluations beyond the steps asked for (PNDM's warm-up: 21 for 20 steps) are not
            // counted, as diffusers' progress bar does not count them.
            int warmUp = Math.max(0, timesteps.length - steps);
            NDArray latents;
            if (init == null || init.strength().value() == 1.0) {
                latents = noise.mul((float) scheduler.initNoiseSigma());
            } else {
                timesteps = init.strength().timesteps(timesteps, steps);
                if (timesteps.length == 0) {
                    return init.latents().duplicate();
                }
                latents = addNoise(scheduler, init.latents(), noise, timesteps[0], m);
            }
            for (int s = 0; s < timesteps.length; s++) {
                latents = step(scheduler, latents, timesteps[s], text, stepNoise);
                if (init != null && init.mask() != null) {
                    latents = pinKnown(scheduler, latents, init, noise, timesteps, s + 1);
                }
                progress.stepDone(0, Math.max(0, s + 1 - warmUp), timesteps.length - warmUp);
            }
            return latents;
        }
    }

    /**
     * The mask's kept cells of {@code latents} replaced by the known latents at step {@code next}.
     */
    private static NDArray pinKnown(
            Scheduler scheduler,
            NDArray latents,
            LatentInit init,
            NDArray noise,
            double[] timesteps,
            int next) {
        NDManager m = latents.getManager();
        NDArray pinned;
        try (NDManager scope = m.newSubManager()) {
            NDArray known =
                    next < timesteps.length
                            ? addNoise(scheduler, init.latents(), noise, timesteps[next], scope)
                            : init.latents();
            pinned = InpaintMask.blend(latents, known, init.mask());
        }
        latents.close();
        return pinned;
    }

    /** {@code original} noised to timestep {@code t}, in {@code m}. */
    private static NDArray addNoise(
            Scheduler scheduler, NDArray original, NDArray noise, double t, NDManager m) {
        NDArray noised = scheduler.addNoise(original, noise, new double[] {t});
        noised.attach(m);
        return noised;
    }

    private NDArray step(
            Scheduler scheduler,
            NDArray latents,
            double t,
            TextConditioning text,
            NoiseSource noise) {
        boolean cfg = text.guided();
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
            NDArray timestep =
                    Tensors.of(step, new float[] {(float) t}, new Shape(1)).repeat(cfg ? 2 : 1);
            NDArray eps = unet.predict(step, scaled, timestep, text.context());
            if (cfg) {
                NDList halves = eps.split(2);
                NDArray uncond = halves.get(0);
                eps = uncond.add(halves.get(1).sub(uncond).mul((float) text.guidance()));
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
            NDArray input = Tensors.of(scratch, flat, new Shape(ids.length, ids[0].length));
            NDArray hidden =
                    textEncoder
                            .run(new ParameterStore(scratch, false), input, false, false)
                            .lastHiddenState();
            hidden.attach(m);
            return hidden;
        }
    }

    /**
     * The latents of an RGB image: the VAE posterior's mean times the scaling factor (the mean, not
     * a sample, so one image always gives the same latents; SD's posterior is narrow enough that a
     * sample differs little), or the image itself in [−1, 1] for a pixel-space model. Kept in
     * {@code m}.
     *
     * @throws IllegalArgumentException if the size does not fit the model
     */
    public NDArray encodeImage(BufferedImage image, NDManager m) {
        latentShape(image.getWidth(), image.getHeight());
        NDArray pixels = toTensor(image, m);
        if (vae == null) {
            return pixelNormalization.normalize(pixels);
        }
        try (NDManager scratch = m.newSubManager()) {
            pixels.attach(scratch);
            NDArray mean = vae.encodeMean(scratch, pixels);
            NDArray scaled = mean.mul(vae.scalingFactor());
            scaled.attach(m);
            return scaled;
        }
    }

    /**
     * The RGB image of {@code latents} (divided by the scaling factor and VAE-decoded, or a pixel
     * model's denormalised).
     */
    public BufferedImage decodeImage(NDArray latents, NDManager m) {
        try (NDManager scratch = m.newSubManager()) {
            if (vae == null) {
                return toImage(pixelNormalization.denormalize(latents));
            }
            NDArray z = latents.div(vae.scalingFactor());
            z.attach(scratch);
            return toImage(vae.decode(scratch, z));
        }
    }

    /** An RGB image as [1, 3, H, W] in [−1, 1], as diffusers' {@code 2 · (x / 255) − 1}. */
    static NDArray toTensor(BufferedImage image, NDManager m) {
        int h = image.getHeight();
        int w = image.getWidth();
        int plane = h * w;
        int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
        float[] v = new float[3 * plane];
        for (int p = 0; p < plane; p++) {
            v[p] = unit((rgb[p] >> 16) & 0xff);
            v[plane + p] = unit((rgb[p] >> 8) & 0xff);
            v[2 * plane + p] = unit(rgb[p] & 0xff);
        }
        return Tensors.of(m, v, new Shape(1, 3, h, w));
    }

    private static float unit(int byte8) {
        return byte8 / 255f * 2f - 1f;
    }

    private static BufferedImage copy(BufferedImage image) {
        BufferedImage out =
                new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        var g = out.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return out;
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
