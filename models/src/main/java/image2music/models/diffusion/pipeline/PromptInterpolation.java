package image2music.models.diffusion.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import image2music.models.diffusion.guidance.InpaintMask;
import image2music.models.diffusion.guidance.Interpolation;
import image2music.models.diffusion.guidance.Strength;
import image2music.models.diffusion.schedulers.NoiseSource;
import image2music.models.diffusion.schedulers.SchedulerChoice;
import java.awt.image.BufferedImage;

/**
 * Clips between two prompts, Riffusion's {@code interpolate_img2img}: for a fraction {@code alpha}
 * of the way from one end to the other, the two prompts' text embeddings are lerped, the two seeds'
 * standard-normal draws are slerped into the initial noise, and the guidance scale and img2img
 * strength are lerped. With an init (seed) image each clip is img2img from it at the lerped
 * strength, optionally masked (only the mask's white cells regenerate); without one each clip
 * starts from the slerped noise.
 *
 * <p>At alpha 0 (or 1) a clip is exactly the {@code from} (or {@code to}) end generated alone by
 * {@link StableDiffusionPipeline#generate} or {@link StableDiffusionPipeline#imageToImage}: the
 * same noise, conditioning and steps, bit for bit. Two choices keep that true where Riffusion's
 * version does not:
 *
 * <ul>
 *   <li>A stochastic scheduler's per-step noise is the slerp of both seeds' streams (Riffusion
 *       draws it from the first end's generator only, so its {@code to} end is not the {@code to}
 *       prompt's own result).
 *   <li>Both ends are encoded with the unconditional row when the lerped guidance exceeds 1 and
 *       both without it otherwise, so an interpolation between a guided and an unguided end lerps
 *       like with like.
 * </ul>
 *
 * <p>Stateless between clips: any clip can be generated alone, in any order.
 */
public final class PromptInterpolation {

    private final StableDiffusionPipeline pipeline;
    private final InterpolationRequest request;
    private final BufferedImage init;
    private final InpaintMask mask;
    private final SchedulerChoice scheduler;

    /**
     * @param init the seed spectrogram image every clip starts from, or null to start from noise
     * @param mask the cells to regenerate (white) in {@code init}, or null for all of them
     * @throws IllegalArgumentException if the size does not fit the model, the init image or mask
     *     is not the request's size, or a mask comes without an init image
     */
    public PromptInterpolation(
            StableDiffusionPipeline pipeline,
            InterpolationRequest request,
            BufferedImage init,
            InpaintMask mask) {
        pipeline.latentShape(request.width(), request.height());
        if (mask != null && init == null) {
            throw new IllegalArgumentException("a mask needs an init image to keep pixels from");
        }
        GenerationRequest clip = request.endpointRequest(request.from());
        if (init != null) {
            StableDiffusionPipeline.checkSize(
                    "init image", init.getWidth(), init.getHeight(), clip);
        }
        if (mask != null) {
            StableDiffusionPipeline.checkSize("mask", mask.width(), mask.height(), clip);
        }
        // Resolved once for every clip: an unknown name fails now, not at the first clip.
        this.scheduler = pipeline.scheduler(request.scheduler());
        this.pipeline = pipeline;
        this.request = request;
        this.init = init;
        this.mask = mask;
    }

    /** The guidance scale at {@code alpha}: {@code (1 - alpha) g_from + alpha g_to}. */
    public double guidance(double alpha) {
        checkAlpha(alpha);
        return lerp(request.from().guidance(), request.to().guidance(), alpha);
    }

    /** The img2img strength at {@code alpha}, lerped like the guidance. */
    public Strength strength(double alpha) {
        checkAlpha(alpha);
        return new Strength(
                lerp(request.from().strength().value(), request.to().strength().value(), alpha));
    }

    /**
     * The clip at {@code alpha}, computed in a sub-manager of {@code manager}, which is left as it
     * was.
     */
    public InterpolatedImage generate(
            double alpha, GenerationProgress progress, NDManager manager) {
        long start = System.nanoTime();
        Strength strength = init == null ? null : strength(alpha);
        BufferedImage image;
        try (NDManager m = manager.newSubManager()) {
            NDArray latents = latents(alpha, progress, m);
            image =
                    init == null
                            ? pipeline.decodeImage(latents, m)
                            : pipeline.finishImage(
                                    latents, init, strength, mask, request.steps(), m);
        }
        return new InterpolatedImage(
                image, alpha, guidance(alpha), strength, (System.nanoTime() - start) / 1e9);
    }

    /** The denoised latents of the clip at {@code alpha}, kept in {@code m}. */
    NDArray latents(double alpha, GenerationProgress progress, NDManager m) {
        checkAlpha(alpha);
        Shape shape = pipeline.latentShape(request.width(), request.height());
        double guidance = guidance(alpha);
        TextConditioning text = conditioning(alpha, guidance, m);
        NoiseSource fromNoise = NoiseSource.seeded(request.from().seed());
        NoiseSource toNoise = NoiseSource.seeded(request.to().seed());
        NDArray a = fromNoise.next(m, shape, DataType.FLOAT32);
        NDArray b = toNoise.next(m, shape, DataType.FLOAT32);
        NDArray noise = Interpolation.slerp(a, b, alpha);
        a.close();
        b.close();
        LatentInit latentInit =
                init == null ? null : pipeline.latentInit(init, strength(alpha), mask, m);
        return pipeline.denoise(
                text,
                noise,
                latentInit,
                request.steps(),
                scheduler,
                slerped(fromNoise, toNoise, alpha),
                progress);
    }

    /** Both prompts encoded alike (guided or not by the lerped scale) and lerped. */
    private TextConditioning conditioning(double alpha, double guidance, NDManager m) {
        String negative = request.negativePrompt();
        TextConditioning from =
                pipeline.encodePrompt(request.from().prompt(), negative, guidance, m);
        TextConditioning to = pipeline.encodePrompt(request.to().prompt(), negative, guidance, m);
        TextConditioning mixed = TextConditioning.lerp(from, to, alpha);
        from.context().close();
        to.context().close();
        return mixed;
    }

    /** Each draw the slerp of the two streams' next draws, in lockstep. */
    private static NoiseSource slerped(NoiseSource from, NoiseSource to, double alpha) {
        return (manager, shape, type) -> {
            NDArray a = from.next(manager, shape, type);
            NDArray b = to.next(manager, shape, type);
            NDArray mixed = Interpolation.slerp(a, b, alpha);
            a.close();
            b.close();
            return mixed;
        };
    }

    private static double lerp(double a, double b, double t) {
        return (1 - t) * a + t * b;
    }

    private static void checkAlpha(double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
    }
}
