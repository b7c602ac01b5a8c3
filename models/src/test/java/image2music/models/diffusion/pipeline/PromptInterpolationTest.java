package image2music.models.diffusion.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import image2music.models.diffusion.guidance.InpaintMask;
import image2music.models.diffusion.guidance.Strength;
import image2music.models.nn.Engines;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Prompt/seed interpolation with a tiny random pipeline. */
class PromptInterpolationTest {

    private static final int W = 32;
    private static final int H = 64;
    private static final InterpolationEndpoint FROM =
            new InterpolationEndpoint("calm piano", 11, 7.0, new Strength(0.4));
    private static final InterpolationEndpoint TO =
            new InterpolationEndpoint("the drums", 12, 3.0, new Strength(0.8));

    private static NDManager manager;
    private static StableDiffusionPipeline pipeline;
    private static BufferedImage init;

    @BeforeAll
    static void build() {
        manager = Engines.newManager();
        pipeline = TinyPipelines.random(3, manager);
        init = stripes(W, H);
    }

    @AfterAll
    static void close() {
        pipeline.close();
        manager.close();
    }

    private static InterpolationRequest request(String scheduler, int steps) {
        return new InterpolationRequest(FROM, TO, "the 9", steps, W, H, scheduler);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pndm", "euler-a"})
    void endsFromNoiseAreEachPromptGeneratedAlone(String scheduler) {
        InterpolationRequest r = request(scheduler, 3);
        PromptInterpolation interp = new PromptInterpolation(pipeline, r, null, null);
        assertArrayEquals(alone(r.endpointRequest(FROM)), pixels(interp, 0.0));
        assertArrayEquals(alone(r.endpointRequest(TO)), pixels(interp, 1.0));
    }

    @Test
    void endsFromAnInitImageAreEachEndsImageToImage() {
        InterpolationRequest r = request("ddpm", 5);
        InpaintMask mask = InpaintMask.columns(W, H, W / 2, W);
        PromptInterpolation interp = new PromptInterpolation(pipeline, r, init, mask);
        for (InterpolationEndpoint e : List.of(FROM, TO)) {
            GeneratedImage alone =
                    pipeline.imageToImage(
                                    r.endpointRequest(e),
                                    init,
                                    e.strength(),
                                    mask,
                                    GenerationProgress.NONE,
                                    manager)
                            .get(0);
            assertArrayEquals(pixels(alone.image()), pixels(interp, e == FROM ? 0.0 : 1.0));
        }
    }

    @Test
    void isDeterministicAndTheMiddleDiffersFromBothEnds() {
        PromptInterpolation interp =
                new PromptInterpolation(pipeline, request(null, 3), null, null);
        int[] middle = pixels(interp, 0.5);
        assertArrayEquals(middle, pixels(interp, 0.5));
        assertFalse(Arrays.equals(middle, pixels(interp, 0.0)));
        assertFalse(Arrays.equals(middle, pixels(interp, 1.0)));
    }

    @Test
    void clipsMoveSteadilyFromOneEndToTheOther() {
        PromptInterpolation interp =
                new PromptInterpolation(pipeline, request(null, 3), null, null);
        double[] alphas = InterpolationRequest.alphas(3);
        try (NDManager m = manager.newSubManager()) {
            NDArray[] latents = new NDArray[alphas.length];
            for (int i = 0; i < alphas.length; i++) {
                latents[i] = interp.latents(alphas[i], GenerationProgress.NONE, m);
            }
            NDArray a = latents[0];
            NDArray b = latents[alphas.length - 1];
            double prevToA = -1;
            double prevToB = Double.MAX_VALUE;
            for (int i = 0; i < alphas.length; i++) {
                double toA = distance(latents[i], a);
                double toB = distance(latents[i], b);
                String at = "alpha " + alphas[i] + ": to A " + toA + ", to B " + toB;
                assertTrue(toA > prevToA, at);
                assertTrue(toB < prevToB, at);
                prevToA = toA;
                prevToB = toB;
            }
        }
    }

    @Test
    void guidanceAndStrengthAreLerpedAndReported() {
        PromptInterpolation interp =
                new PromptInterpolation(pipeline, request(null, 2), init, null);
        assertEquals(7.0, interp.guidance(0), 0);
        assertEquals(5.0, interp.guidance(0.5), 1e-12);
        assertEquals(3.0, interp.guidance(1), 0);
        assertEquals(0.6, interp.strength(0.5).value(), 1e-12);
        InterpolatedImage clip = interp.generate(0.25, GenerationProgress.NONE, manager);
        assertEquals(6.0, clip.guidance(), 1e-12);
        assertEquals(0.5, clip.strength().value(), 1e-12);
        assertEquals(W, clip.image().getWidth());
        PromptInterpolation noInit =
                new PromptInterpolation(pipeline, request(null, 2), null, null);
        assertNull(noInit.generate(0.25, GenerationProgress.NONE, manager).strength());
    }

    @Test
    void strengthZeroAtAnEndKeepsTheInitImage() {
        InterpolationRequest r =
                new InterpolationRequest(
                        new InterpolationEndpoint("calm", 1, 7.0, new Strength(0.0)),
                        TO,
                        "",
                        4,
                        W,
                        H,
                        null);
        PromptInterpolation interp = new PromptInterpolation(pipeline, r, init, null);
        assertArrayEquals(pixels(init), pixels(interp, 0.0));
        assertFalse(Arrays.equals(pixels(init), pixels(interp, 1.0)));
    }

    @Test
    void alphasSpanBothEndsEvenly() {
        assertArrayEquals(new double[] {0, 1}, InterpolationRequest.alphas(0));
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1}, InterpolationRequest.alphas(3));
        assertThrows(IllegalArgumentException.class, () -> InterpolationRequest.alphas(-1));
    }

    @Test
    void refusesMisfitInputs() {
        InterpolationRequest r = request(null, 2);
        IllegalArgumentException mask =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new PromptInterpolation(
                                        pipeline, r, init, InpaintMask.columns(16, H, 0, 8)));
        assertTrue(mask.getMessage().contains("mask is 16x64"), mask.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new PromptInterpolation(pipeline, r, null, InpaintMask.keepAll(W, H)));
        assertThrows(
                IllegalArgumentException.class,
                () -> new PromptInterpolation(pipeline, r, stripes(W, 32), null));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        new PromptInterpolation(
                                pipeline,
                                new InterpolationRequest(FROM, TO, "", 2, 24, H, null),
                                null,
                                null));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        new PromptInterpolation(
                                pipeline,
                                new InterpolationRequest(FROM, TO, "", 2, W, H, "nope"),
                                null,
                                null));
        PromptInterpolation ok = new PromptInterpolation(pipeline, r, null, null);
        assertThrows(
                IllegalArgumentException.class,
                () -> ok.generate(1.5, GenerationProgress.NONE, manager));
    }

    private static int[] alone(GenerationRequest r) {
        return pixels(pipeline.generate(r, GenerationProgress.NONE, manager).get(0).image());
    }

    private static int[] pixels(PromptInterpolation interp, double alpha) {
        return pixels(interp.generate(alpha, GenerationProgress.NONE, manager).image());
    }

    private static double distance(NDArray x, NDArray y) {
        return x.sub(y).square().sum().sqrt().getFloat();
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
