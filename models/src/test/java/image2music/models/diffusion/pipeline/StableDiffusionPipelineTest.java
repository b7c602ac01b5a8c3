package image2music.models.diffusion.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import image2music.models.Fixtures;
import image2music.models.clip.CLIPTextCheckpoints;
import image2music.models.nn.Engines;
import image2music.models.nn.StateDict;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny random pipeline saved, loaded back and run. */
class StableDiffusionPipelineTest {

    private static final GenerationRequest BASE =
            new GenerationRequest("calm piano", "", 7.0, 4, 42, 32, 64, null, 1);

    @TempDir static Path tmp;
    private static NDManager manager;
    private static Path folder;
    private static StableDiffusionPipeline pipeline;

    @BeforeAll
    static void saveAndLoad() throws IOException {
        manager = Engines.newManager();
        folder = tmp.resolve("tiny");
        try (StableDiffusionPipeline built = TinyPipelines.random(0, manager)) {
            PipelineFolder.save(built, folder);
        }
        pipeline = PipelineFolder.load(folder, manager);
    }

    @AfterAll
    static void close() {
        pipeline.close();
        manager.close();
    }

    @Test
    void savesTheDiffusersLayout() throws IOException {
        for (String f :
                List.of(
                        "model_index.json",
                        "unet/config.json",
                        "unet/diffusion_pytorch_model.safetensors",
                        "vae/config.json",
                        "vae/diffusion_pytorch_model.safetensors",
                        "text_encoder/config.json",
                        "text_encoder/model.safetensors",
                        "tokenizer/vocab.json",
                        "tokenizer/merges.txt",
                        "scheduler/scheduler_config.json")) {
            assertTrue(Files.isRegularFile(folder.resolve(f)), f);
        }
        PipelineIndex index = PipelineIndex.read(folder.resolve("model_index.json"));
        assertEquals("StableDiffusionPipeline", index.className());
        assertEquals(List.of("diffusers", "UNet2DConditionModel"), index.components().get("unet"));
        assertEquals(List.of("diffusers", "PNDMScheduler"), index.components().get("scheduler"));
        assertFalse(index.pixelSpace());
    }

    @Test
    void generatesImagesOfTheRequestedSizeDeterministically() {
        List<GeneratedImage> a = pipeline.generate(BASE, GenerationProgress.NONE, manager);
        List<GeneratedImage> b = pipeline.generate(BASE, GenerationProgress.NONE, manager);
        assertEquals(1, a.size());
        assertEquals(32, a.get(0).image().getWidth());
        assertEquals(64, a.get(0).image().getHeight());
        assertArrayEquals(pixels(a.get(0).image()), pixels(b.get(0).image()));
        List<GeneratedImage> other =
                pipeline.generate(
                        new GenerationRequest("calm piano", "", 7.0, 4, 43, 32, 64, null, 1),
                        GenerationProgress.NONE,
                        manager);
        assertFalse(
                java.util.Arrays.equals(pixels(a.get(0).image()), pixels(other.get(0).image())));
    }

    @Test
    void batchImagesUseConsecutiveSeeds() {
        GenerationRequest two = new GenerationRequest("calm", "", 7.0, 3, 10, 32, 64, null, 2);
        GenerationRequest one = new GenerationRequest("calm", "", 7.0, 3, 11, 32, 64, null, 1);
        List<GeneratedImage> batch = pipeline.generate(two, GenerationProgress.NONE, manager);
        List<GeneratedImage> alone = pipeline.generate(one, GenerationProgress.NONE, manager);
        assertEquals(List.of(10L, 11L), batch.stream().map(GeneratedImage::seed).toList());
        assertArrayEquals(pixels(alone.get(0).image()), pixels(batch.get(1).image()));
    }

    @Test
    void negativePromptChangesTheResult() {
        GenerationRequest withNegative =
                new GenerationRequest("calm piano", "the 9", 7.0, 4, 42, 32, 64, null, 1);
        assertFalse(
                java.util.Arrays.equals(pixels(generate(BASE)), pixels(generate(withNegative))));
    }

    @Test
    void guidanceOneSkipsTheUnconditionalPass() {
        // Without the unconditional pass the negative prompt cannot matter.
        GenerationRequest a = new GenerationRequest("calm", "", 1.0, 3, 5, 32, 64, null, 1);
        GenerationRequest b = new GenerationRequest("calm", "the 9", 1.0, 3, 5, 32, 64, null, 1);
        assertArrayEquals(pixels(generate(a)), pixels(generate(b)));
        assertFalse(a.usesGuidance());
    }

    @Test
    void schedulerOverrideIsUsed() {
        GenerationRequest euler = new GenerationRequest("calm", "", 7.0, 4, 42, 32, 64, "euler", 1);
        assertFalse(java.util.Arrays.equals(pixels(generate(BASE)), pixels(generate(euler))));
        assertEquals("EulerDiscreteScheduler", pipeline.schedulerClass("euler"));
    }

    @Test
    void reportsEveryStepAndHoldsNoMoreArraysAtTheLastStepThanAtStep5() {
        List<Integer> arrays = new ArrayList<>();
        List<Integer> steps = new ArrayList<>();
        List<Integer> totals = new ArrayList<>();
        try (NDManager caller = manager.newSubManager()) {
            int before = caller.getManagedArrays().size();
            pipeline.generate(
                    BASE.withSteps(50).withSize(16, 16),
                    (image, step, n) -> {
                        steps.add(step);
                        arrays.add(caller.getManagedArrays().size());
                        totals.add(n);
                    },
                    caller);
            assertEquals(before, caller.getManagedArrays().size(), "caller's manager after");
        }
        // PNDM (PLMS) repeats one timestep: 50 steps are 51 model calls, as in diffusers, whose
        // progress bar counts 50: the warm-up call reports step 0 of 50.
        int n = totals.get(0);
        assertEquals(50, n);
        assertEquals(n + 1, steps.size());
        assertEquals(0, steps.get(0));
        assertEquals(n, steps.get(n));
        assertEquals(arrays.get(4), arrays.get(n), "arrays held at step 5 vs the last: " + arrays);
    }

    @Test
    void refusesASizeTheModelCannotTake() {
        GenerationRequest odd = BASE.withSize(24, 64); // 3 latents: not halvable by the UNet
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> pipeline.generate(odd, GenerationProgress.NONE, manager));
        assertTrue(e.getMessage().contains("width 24"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BASE.withSize(30, 64));
    }

    @Test
    void binTextEncoderLoadsTheSameWeightsAsSafetensors(@TempDir Path dir) throws IOException {
        Path st = dir.resolve("st");
        Path bin = dir.resolve("bin");
        copyTree(folder, st);
        Path clip = Fixtures.path("hf/clip_text_tiny");
        Files.copy(
                clip.resolve("model.safetensors"),
                st.resolve("text_encoder/model.safetensors"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        copyTree(st, bin);
        Files.delete(bin.resolve("text_encoder/model.safetensors"));
        Files.copy(
                Fixtures.path("torch_bin/clip_text_tiny.bin"),
                bin.resolve("text_encoder/pytorch_model.bin"));
        // Published folders carry components we do not use: they must be ignored.
        Files.createDirectories(bin.resolve("safety_checker"));
        try (StableDiffusionPipeline a = PipelineFolder.load(st, manager);
                StableDiffusionPipeline b = PipelineFolder.load(bin, manager)) {
            Map<String, NDArray> wa = StateDict.arrays(a.textEncoder());
            Map<String, NDArray> wb = StateDict.arrays(b.textEncoder());
            assertEquals(wa.keySet(), wb.keySet());
            wa.forEach((k, v) -> assertEquals(v, wb.get(k), k));
            assertArrayEquals(
                    pixels(a.generate(BASE, GenerationProgress.NONE, manager).get(0).image()),
                    pixels(b.generate(BASE, GenerationProgress.NONE, manager).get(0).image()));
        }
        assertTrue(CLIPTextCheckpoints.BIN_WEIGHTS.endsWith(".bin"));
    }

    @Test
    void namesWhatIsMissing(@TempDir Path dir) throws IOException {
        Path broken = dir.resolve("broken");
        copyTree(folder, broken);
        Files.delete(broken.resolve("unet/diffusion_pytorch_model.safetensors"));
        NoSuchFileException e =
                assertThrows(NoSuchFileException.class, () -> PipelineFolder.load(broken, manager));
        assertTrue(e.getMessage().contains("unet/diffusion_pytorch_model.safetensors"));

        Path noIndex = dir.resolve("no-index");
        copyTree(folder, noIndex);
        Files.delete(noIndex.resolve("model_index.json"));
        e = assertThrows(NoSuchFileException.class, () -> PipelineFolder.load(noIndex, manager));
        assertTrue(e.getMessage().contains("model_index.json"), e.getMessage());

        Path badKey = dir.resolve("bad-key");
        copyTree(folder, badKey);
        Files.copy(
                Fixtures.path("hf/clip_text_tiny/model.safetensors"),
                badKey.resolve("vae/diffusion_pytorch_model.safetensors"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        IllegalArgumentException mismatch =
                assertThrows(
                        IllegalArgumentException.class, () -> PipelineFolder.load(badKey, manager));
        assertTrue(mismatch.getMessage().contains("missing"), mismatch.getMessage());
        assertTrue(mismatch.getMessage().contains("vae"), mismatch.getMessage());
    }

    @Test
    void pixelSpaceModelsSaySoInTheirIndex(@TempDir Path dir) throws IOException {
        Path index = dir.resolve("model_index.json");
        PipelineIndex.of(true, PixelNormalization.IDENTITY, "DDPMScheduler").write(index);
        PipelineIndex read = PipelineIndex.read(index);
        assertTrue(read.pixelSpace());
        assertEquals(PipelineIndex.PIXEL_CLASS, read.className());
        assertNull(read.components().get("vae"));
        assertFalse(read.has("vae"));
    }

    private BufferedImage generate(GenerationRequest r) {
        return pipeline.generate(r, GenerationProgress.NONE, manager).get(0).image();
    }

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
