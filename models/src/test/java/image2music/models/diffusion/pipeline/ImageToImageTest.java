package image2music.models.diffusion.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import image2music.models.diffusion.guidance.InpaintMask;
import image2music.models.diffusion.guidance.Strength;
import image2music.models.diffusion.schedulers.NoiseSource;
import image2music.models.nn.Engines;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** img2img, inpainting and outpainting with a tiny random pipeline. */
class ImageToImageTest {

    private static final GenerationRequest REQUEST =
            new GenerationRequest("calm piano", "", 7.0, 6, 42, 32, 64, null, 1);

    private static NDManager manager;
    private static StableDiffusionPipeline pipeline;
    private static BufferedImage init;

    @BeforeAll
    static void build() {
        manager = Engines.newManager();
        pipeline = TinyPipelines.random(3, manager);
        init = stripes(32, 64);
    }

    @AfterAll
    static void close() {
        pipeline.close();
        manager.close();
    }

    @Test
    void strengthZeroReturnsTheInputUnchanged() {
        GeneratedImage out = img2img(REQUEST, 0.0, null);
        assertArrayEquals(pixels(init), pixels(out.image()));
    }

    @Test
    void isDeterministicForASeedAndDiffersAcrossSeeds() {
        int[] a = pixels(img2img(REQUEST, 0.6, null).image());
        int[] b = pixels(img2img(REQUEST, 0.6, null).image());
        GenerationRequest other =
                new GenerationRequest("calm piano", "", 7.0, 6, 43, 32, 64, null, 1);
        int[] c = pixels(img2img(other, 0.6, null).image());
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
    }

    @Test
    void lowStrengthStaysCloserToTheInputLatentsThanHighStrength() {
        try (NDManager m = manager.newSubManager()) {
            NDArray known = pipeline.encodeImage(init, m);
            double low = latentDistance(known, 0.2, m);
            double mid = latentDistance(known, 0.5, m);
            double high = latentDistance(known, 1.0, m);
            assertTrue(low < mid && mid < high, low + " < " + mid + " < " + high);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pndm", "ddim", "ddpm", "euler", "euler-a", "dpm++"})
    void everySchedulerStartsMidGrid(String scheduler) {
        GenerationRequest r = new GenerationRequest("calm", "", 7.0, 5, 1, 32, 64, scheduler, 1);
        int[] steps = new int[2];
        pipeline.imageToImage(
                r,
                init,
                new Strength(0.6),
                null,
                (i, step, n) -> {
                    steps[0] = step;
                    steps[1] = n;
                },
                manager);
        // floor(5 · 0.6) = 3 steps (PNDM's PLMS grid repeats its first timestep: 4 calls, of
        // which the warm-up is not counted).
        assertEquals(3, steps[1]);
        assertEquals(steps[1], steps[0]);
    }

    @Test
    void maskKeepsEveryUnmaskedPixelAndChangesTheMaskedOnes() {
        // Regenerate the right half (a time span), keep the left.
        InpaintMask mask = InpaintMask.columns(32, 64, 16, 32);
        BufferedImage out = img2img(REQUEST, 0.9, mask).image();
        int changed = 0;
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 32; x++) {
                if (mask.regenerates(y, x)) {
                    changed += out.getRGB(x, y) != init.getRGB(x, y) ? 1 : 0;
                } else {
                    assertEquals(init.getRGB(x, y), out.getRGB(x, y), "kept pixel " + x + "," + y);
                }
            }
        }
        assertTrue(changed > 16 * 64 / 2, changed + " of the masked pixels changed");
    }

    @Test
    void keptLatentCellsEndExactlyAtTheKnownLatents() {
        try (NDManager m = manager.newSubManager()) {
            NDArray known = pipeline.encodeImage(init, m);
            // Outpainting: the first two latent columns are known, the rest is new.
            InpaintMask mask = InpaintMask.columns(4, 8, 2, 4);
            LatentInit li = new LatentInit(known, new Strength(1.0), mask.toNDArray(m));
            NDArray out = denoise(li, m);
            float[] k = known.toFloatArray();
            float[] o = out.toFloatArray();
            int w = 4;
            int regenerated = 0;
            for (int i = 0; i < k.length; i++) {
                if (i % w < 2) {
                    assertEquals(k[i], o[i], "kept cell " + i);
                } else {
                    regenerated += k[i] != o[i] ? 1 : 0;
                }
            }
            assertEquals(k.length / 2, regenerated);
        }
    }

    @Test
    void refusesAMaskOrImageOfAnotherSize() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> img2img(REQUEST, 0.5, InpaintMask.columns(16, 64, 0, 8)));
        assertTrue(e.getMessage().contains("mask is 16x64"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        pipeline.imageToImage(
                                REQUEST.withSize(64, 64),
                                init,
                                new Strength(0.5),
                                null,
                                GenerationProgress.NONE,
                                manager));
    }

    private static GeneratedImage img2img(GenerationRequest r, double strength, InpaintMask mask) {
        List<GeneratedImage> out =
                pipeline.imageToImage(
                        r, init, new Strength(strength), mask, GenerationProgress.NONE, manager);
        assertEquals(1, out.size());
        return out.get(0);
    }

    private static double latentDistance(NDArray known, double strength, NDManager m) {
        NDArray out = denoise(new LatentInit(known, new Strength(strength), null), m);
        return out.sub(known).square().mean().getFloat();
    }

    private static NDArray denoise(LatentInit li, NDManager m) {
        NoiseSource noise = NoiseSource.seeded(9);
        NDArray draw = noise.next(m, new Shape(1, 4, 8, 4), DataType.FLOAT32);
        TextConditioning text = pipeline.encodePrompt("calm", "", 7.0, m);
        return pipeline.denoise(
                text, draw, li, 10, pipeline.scheduler(null), noise, GenerationProgress.NONE);
    }

    /** Horizontal bands of grey levels, like a spectrogram's harmonics. */
    private static BufferedImage stripes(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            int g = (y / 4) % 2 == 0 ? 40 : 220;
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (g << 16) | (g << 8) | g);
            }
        }
        return img;
    }

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }
}
