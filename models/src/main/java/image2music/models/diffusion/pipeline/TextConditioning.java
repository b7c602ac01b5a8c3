package image2music.models.diffusion.pipeline;

import ai.djl.ndarray.NDArray;
import image2music.models.diffusion.guidance.Interpolation;

/**
 * What a denoising run is conditioned on: the text encoder's last hidden states, {@code [2, L, C]}
 * (negative prompt, prompt) when classifier-free guidance runs or {@code [1, L, C]} (prompt) when
 * it does not, and the guidance scale.
 *
 * @param context the hidden states; owned by the caller's manager
 * @param guidance the classifier-free guidance scale (used only with two rows)
 */
public record TextConditioning(NDArray context, double guidance) {

    public TextConditioning {
        long rows = context.getShape().get(0);
        if (context.getShape().dimension() != 3 || rows < 1 || rows > 2) {
            throw new IllegalArgumentException(
                    "text context must be [1 or 2, L, C], got " + context.getShape());
        }
    }

    /** Whether the unconditional (negative-prompt) row is there and guidance runs. */
    public boolean guided() {
        return context.getShape().get(0) == 2;
    }

    /**
     * The conditioning a fraction {@code t} of the way from {@code a} to {@code b}: hidden states
     * and guidance lerped (Riffusion's prompt interpolation). Both must be guided or both not.
     */
    public static TextConditioning lerp(TextConditioning a, TextConditioning b, double t) {
        if (a.guided() != b.guided()) {
            throw new IllegalArgumentException(
                    "cannot interpolate a guided and an unguided conditioning");
        }
        return new TextConditioning(
                Interpolation.lerp(a.context(), b.context(), t),
                (1 - t) * a.guidance() + t * b.guidance());
    }
}
