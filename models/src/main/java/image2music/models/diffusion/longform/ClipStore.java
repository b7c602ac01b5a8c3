package image2music.models.diffusion.longform;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;

/**
 * Where a long piece's finished clips are kept, so a run that was interrupted goes on from the
 * first clip it had not finished instead of starting over. Each clip's noise comes from its own
 * seed, so a resumed piece is the piece an uninterrupted run makes.
 */
public interface ClipStore {

    /** Keeps nothing. */
    ClipStore NONE =
            new ClipStore() {
                @Override
                public Clip load(int clip, NDManager manager) {
                    return null;
                }

                @Override
                public void save(int clip, BufferedImage image, NDArray latents) {}
            };

    /**
     * A finished clip.
     *
     * @param image its decoded spectrogram image
     * @param latents its final latents (the next clip is outpainted from them)
     */
    record Clip(BufferedImage image, NDArray latents) {}

    /**
     * Clip {@code clip} if a run finished it before, its latents in {@code manager}; else null.
     *
     * @throws java.io.UncheckedIOException if a kept clip cannot be read
     */
    Clip load(int clip, NDManager manager);

    /**
     * Keeps a finished clip.
     *
     * @throws java.io.UncheckedIOException if it cannot be written
     */
    void save(int clip, BufferedImage image, NDArray latents);
}
