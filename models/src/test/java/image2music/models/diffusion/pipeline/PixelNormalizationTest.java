package image2music.models.diffusion.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import image2music.models.nn.Engines;
import image2music.models.nn.Tensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PixelNormalizationTest {

    /** Rows of known means and one spread: the fit finds them, and normalised data is unit. */
    @Test
    void fitFindsEachRowsMeanAndTheCommonSpread() {
        int channels = 3;
        int height = 4;
        float[] means = {0.6f, 0.3f, 0f, -0.4f};
        double sd = 0.2;
        SplittableRandom r = new SplittableRandom(1);
        PixelNormalization.Fit fit = new PixelNormalization.Fit(channels, height);
        for (int width : new int[] {200, 300, 500}) { // widths may differ
            float[] img = new float[channels * height * width];
            for (int i = 0; i < img.length; i++) {
                double g =
                        Math.sqrt(-2 * Math.log(1 - r.nextDouble()))
                                * Math.cos(2 * Math.PI * r.nextDouble());
                img[i] = (float) (means[(i / width) % height] + sd * g);
            }
            fit.add(img);
        }
        PixelNormalization n = fit.result();
        assertArrayEquals(means, n.shift(), 0.02f);
        assertEquals(1 / sd, n.scale(), 0.05 / sd);
        assertEquals((1 + 0.4 + 0.02) / sd, n.range(), 0.2 / sd);
    }

    @Test
    void normaliseThenDenormaliseGivesThePixelsBack() {
        PixelNormalization n = new PixelNormalization(new float[] {0.5f, -0.25f}, 3f);
        try (NDManager m = Engines.newManager()) {
            float[] px = {1f, 0.5f, -1f, 0f, 0.25f, 0.75f, -0.5f, 1f};
            NDArray x = Tensors.of(m, px, new Shape(1, 2, 2, 2));
            NDArray z = n.normalize(x);
            // Row 0 of each channel loses 0.5, row 1 gains 0.25, then ×3.
            assertArrayEquals(
                    new float[] {1.5f, 0f, -2.25f, 0.75f, -0.75f, 0.75f, -0.75f, 3.75f},
                    z.toFloatArray(),
                    1e-6f);
            assertArrayEquals(px, n.denormalize(z).toFloatArray(), 1e-6f);
            NDArray wrongRows = Tensors.of(m, new float[3], new Shape(1, 1, 3, 1));
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> n.normalize(wrongRows));
            assertTrue(e.getMessage().contains("2 rows"), e.getMessage());
        }
        assertTrue(PixelNormalization.IDENTITY.isIdentity());
    }

    @Test
    void thePixelSpaceIndexKeepsItsNormalisation(@TempDir Path dir) throws IOException {
        PixelNormalization n = new PixelNormalization(new float[] {0.4f, 0.1f, -0.2f}, 2.5f);
        Path index = dir.resolve(PipelineIndex.FILE);
        PipelineIndex.of(true, n, "DDIMScheduler").write(index);
        assertEquals(n, PipelineIndex.read(index).pixelNormalization());

        PipelineIndex.of(true, PixelNormalization.IDENTITY, "DDIMScheduler").write(index);
        assertTrue(PipelineIndex.read(index).pixelNormalization().isIdentity());
        assertTrue(!Files.readString(index).contains(PipelineIndex.PIXEL_SCALE));

        assertThrows(
                IllegalArgumentException.class,
                () -> PipelineIndex.of(false, n, "DDIMScheduler"),
                "a latent model has its VAE's factors");
    }

    @Test
    void malformedEntriesAreErrorsNamingTheFile(@TempDir Path dir) throws IOException {
        Path index = dir.resolve(PipelineIndex.FILE);
        for (String bad :
                new String[] {
                    "\"_image2music_pixel_shift\": [0.1], \"_image2music_pixel_scale\": -1",
                    "\"_image2music_pixel_shift\": [7], \"_image2music_pixel_scale\": 2",
                    "\"_image2music_pixel_shift\": [\"a\"], \"_image2music_pixel_scale\": 2",
                    "\"_image2music_pixel_shift\": 3, \"_image2music_pixel_scale\": 2",
                    "\"_image2music_pixel_scale\": 2",
                }) {
            Files.writeString(
                    index,
                    "{\"_class_name\": \"Image2MusicPixelDiffusionPipeline\","
                            + " \"_image2music_pixel_space\": true, "
                            + bad
                            + "}");
            IOException e = assertThrows(IOException.class, () -> PipelineIndex.read(index), bad);
            assertTrue(e.getMessage().startsWith(index.toString()), e.getMessage());
        }
    }
}
