package image2music.models.diffusion.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import image2music.models.GoldenFixture;
import image2music.models.diffusion.UNet2DConditionModel;
import image2music.models.diffusion.UNetCheckpoints;
import image2music.models.diffusion.lora.LoraLayers.Component;
import image2music.models.nn.Engines;
import image2music.models.nn.SafetensorsFile;
import image2music.models.nn.SafetensorsWriter;
import image2music.models.nn.StateDict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LoRA on the unet_tiny fixture's attention projections. */
class LoraLayersTest {

    @TempDir Path dir;
    private GoldenFixture fx;
    private UNet2DConditionModel unet;

    @BeforeEach
    void load() throws IOException {
        fx = GoldenFixture.open("hf/unet_tiny");
        unet = fx.load(UNetCheckpoints::load);
    }

    @AfterEach
    void close() {
        fx.close();
    }

    private float[] forward() {
        try (NDManager step = fx.manager().newSubManager()) {
            ParameterStore ps = new ParameterStore(step, false);
            return unet.run(
                            ps,
                            fx.input("sample"),
                            fx.input("timestep"),
                            fx.input("encoder_hidden_states"),
                            false,
                            null)
                    .toFloatArray();
        }
    }

    /**
     * Gives every up weight small random values, so that the adapters change the output (large ones
     * saturate the tiny model's attention softmax, whose gradient then underflows to 0).
     */
    private static void randomiseUp(LoraLayers lora, NDManager manager) {
        Engines.engine().setRandomSeed(11);
        for (Map.Entry<String, Parameter> e : lora.parameters().entrySet()) {
            if (e.getKey().endsWith("lora_B.weight")) {
                Parameter up = e.getValue();
                // assign copies: NDArray.set(float[]) may leave the tensor on a Java buffer
                // that the garbage collector later frees.
                try (NDArray r =
                        manager.randomNormal(
                                0, 0.05f, up.getArray().getShape(), DataType.FLOAT32)) {
                    StateDict.assign(up, r, manager, DataType.FLOAT32);
                }
            }
        }
    }

    @Test
    void targetsEveryAttentionProjectionAndNothingElse() {
        Map<String, ?> layers = LoraLayers.targets(unet, Component.UNET);
        assertTrue(layers.size() >= 8 && layers.size() % 4 == 0, layers.keySet()::toString);
        for (String path : layers.keySet()) {
            assertTrue(path.matches(".*\\.attn[12]\\.(to_q|to_k|to_v|to_out\\.0)"), path);
        }
    }

    @Test
    void freshAdaptersLeaveTheOutputExactlyAsItWas() {
        float[] base = forward();
        try (LoraLayers lora = LoraLayers.attach(unet, Component.UNET, 4, 4, fx.manager())) {
            assertArrayEquals(base, forward());
            assertEquals(2 * lora.layers().size(), lora.parameters().size());
        }
        assertArrayEquals(base, forward());
    }

    @Test
    void baseWeightsKeepTheirKeysAndStayFrozenWhileAdaptersLearn() {
        Map<String, Parameter> before = StateDict.parameters(unet);
        try (LoraLayers lora = LoraLayers.attach(unet, Component.UNET, 2, 2, fx.manager())) {
            assertEquals(before.keySet(), StateDict.parameters(unet).keySet());
            randomiseUp(lora, fx.manager());
            try (NDManager step = fx.manager().newSubManager()) {
                ParameterStore ps = new ParameterStore(step, false);
                try (GradientCollector gc = Engines.engine().newGradientCollector()) {
                    NDArray out =
                            unet.run(
                                    ps,
                                    fx.input("sample"),
                                    fx.input("timestep"),
                                    fx.input("encoder_hidden_states"),
                                    true,
                                    null);
                    gc.backward(out.sub(fx.input("target")).square().mean());
                }
                for (Map.Entry<String, Parameter> e : lora.parameters().entrySet()) {
                    float[] g = e.getValue().getArray().getGradient().toFloatArray();
                    float max = 0;
                    for (float v : g) {
                        max = Math.max(max, Math.abs(v));
                    }
                    assertTrue(max > 0, e.getKey() + " gets a gradient");
                }
            }
        }
    }

    @Test
    void mergedAndOnTheFlyOutputsAgree() {
        float[] base = forward();
        LoraLayers lora = LoraLayers.attach(unet, Component.UNET, 4, 8, fx.manager());
        randomiseUp(lora, fx.manager());
        float[] onTheFly = forward();
        assertNotEquals(base[0], onTheFly[0]);
        lora.merge();
        float[] merged = forward();
        double maxErr = 0;
        double scale = 0;
        for (int i = 0; i < merged.length; i++) {
            maxErr = Math.max(maxErr, Math.abs(merged[i] - onTheFly[i]));
            scale = Math.max(scale, Math.abs(onTheFly[i] - base[i]));
        }
        assertTrue(maxErr < 1e-4 * Math.max(1, scale), "merged differs by " + maxErr);
    }

    @Test
    void savedFileHasDiffusersKeysAndLoadsBackToTheSameOutput() throws IOException {
        LoraLayers lora = LoraLayers.attach(unet, Component.UNET, 4, 8, fx.manager());
        randomiseUp(lora, fx.manager());
        float[] adapted = forward();
        Path file = dir.resolve(LoraLayers.FILE);
        lora.save(file);
        lora.close();
        Map<String, NDArray> saved = SafetensorsFile.read(file, fx.manager());
        assertEquals(2 * lora.layers().size(), saved.size());
        for (String key : saved.keySet()) {
            assertTrue(
                    key.matches(
                            "unet\\..*\\.attn[12]\\.(to_q|to_k|to_v|to_out\\.0)"
                                    + "\\.lora\\.(down|up)\\.weight"),
                    key);
        }
        try (LoraLayers loaded = LoraLayers.load(file, unet, Component.UNET, 1, fx.manager())) {
            assertEquals(lora.layers().keySet(), loaded.layers().keySet());
            float[] again = forward();
            for (int i = 0; i < again.length; i++) {
                assertEquals(adapted[i], again[i], 1e-5f * Math.max(1, Math.abs(adapted[i])));
            }
        }
    }

    @Test
    void unreadableOrMismatchedFilesAreRefusedByName() throws IOException {
        Path file = dir.resolve("other.safetensors");
        try (NDManager m = fx.manager().newSubManager()) {
            SafetensorsWriter.write(
                    file, Map.of("unet.nowhere.to_q.lora.down.weight", m.zeros(new Shape(2, 4))));
        }
        IOException e =
                assertThrows(
                        IOException.class,
                        () -> LoraLayers.load(file, unet, Component.UNET, 1, fx.manager()));
        assertTrue(e.getMessage().contains("other.safetensors"), e.getMessage());
        assertTrue(e.getMessage().contains("no adaptable layer"), e.getMessage());
        // Nothing half-applied: the model still runs without adapters.
        assertTrue(
                LoraLayers.targets(unet, Component.UNET).values().stream()
                        .allMatch(l -> l.lora() == null));
    }
}
