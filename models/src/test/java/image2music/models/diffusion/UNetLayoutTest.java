package image2music.models.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import image2music.models.Fixtures;
import image2music.models.nn.Engines;
import image2music.models.nn.HfConfigs;
import image2music.models.nn.SafetensorsFile;
import image2music.models.nn.SafetensorsWriter;
import image2music.models.nn.StateDict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SD-1.5 key layout, config checks and diffusers-folder round trips of the UNet. */
class UNetLayoutTest {

    private static final Path TINY = Fixtures.path("hf/unet_tiny");

    @TempDir Path tmp;

    @Test
    void sd15UnetHasExactlyTheDiffusersKeysShapesAndOrderWithoutAllocating() throws IOException {
        JsonObject manifest = Manifests.read("unet_sd15.json");
        UNet2DConditionConfig c =
                UNet2DConditionConfig.fromJson(manifest.getAsJsonObject("config"));
        assertEquals(UNet2DConditionConfig.sd15().blockOutChannels(), c.blockOutChannels());
        Manifests.assertMatches(new UNet2DConditionModel(c), manifest);
        Manifests.assertMatches(new UNet2DConditionModel(UNet2DConditionConfig.sd15()), manifest);
    }

    @Test
    void unknownBlockTypeIsNamed() throws IOException {
        JsonObject o = HfConfigs.read(TINY.resolve("config.json"));
        o.getAsJsonArray("down_block_types").set(2, new JsonPrimitive("SimpleDownBlock2D"));
        UNet2DConditionConfig c = UNet2DConditionConfig.fromJson(o);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new UNet2DConditionModel(c));
        assertTrue(e.getMessage().contains("SimpleDownBlock2D"), e.getMessage());
    }

    @Test
    void unsupportedFeatureAndBadSizesAreNamed() throws IOException {
        JsonObject o = HfConfigs.read(TINY.resolve("config.json"));
        o.addProperty("class_embed_type", "timestep");
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> UNet2DConditionConfig.fromJson(o));
        assertTrue(e.getMessage().contains("class_embed_type"), e.getMessage());
        JsonObject p = HfConfigs.read(TINY.resolve("config.json"));
        p.addProperty("norm_num_groups", 7);
        e = assertThrows(IllegalArgumentException.class, () -> UNet2DConditionConfig.fromJson(p));
        assertTrue(e.getMessage().contains("norm_num_groups 7"), e.getMessage());
    }

    @Test
    void saveThenLoadIsBitExactAndKeepsTheConfig() throws IOException {
        try (NDManager m = Engines.newManager()) {
            UNet2DConditionModel model = UNetCheckpoints.load(TINY, m);
            Path out = tmp.resolve("pipe").resolve(UNetCheckpoints.SUBFOLDER);
            UNetCheckpoints.save(model, out);
            UNet2DConditionModel back = UNetCheckpoints.load(tmp.resolve("pipe"), m);
            assertEquals(model.config(), back.config());
            Map<String, NDArray> a = StateDict.arrays(model);
            Map<String, NDArray> b = StateDict.arrays(back);
            assertEquals(a.keySet(), b.keySet());
            a.forEach(
                    (k, v) -> assertArrayEquals(v.toFloatArray(), b.get(k).toFloatArray(), 0f, k));
        }
    }

    @Test
    void halfPrecisionWeightsLoadAsFloat32() throws IOException {
        try (NDManager m = Engines.newManager()) {
            Path dir = tmp.resolve("f16");
            Files.createDirectories(dir);
            Files.copy(TINY.resolve("config.json"), dir.resolve("config.json"));
            Map<String, NDArray> half = new LinkedHashMap<>();
            SafetensorsFile.read(TINY.resolve(DiffusersFolders.WEIGHTS), m)
                    .forEach((k, v) -> half.put(k, v.toType(DataType.FLOAT16, false)));
            SafetensorsWriter.write(dir.resolve(DiffusersFolders.WEIGHTS), half);
            UNet2DConditionModel model = UNetCheckpoints.load(dir, m);
            StateDict.arrays(model)
                    .forEach(
                            (k, v) -> {
                                assertEquals(DataType.FLOAT32, v.getDataType(), k);
                                assertArrayEquals(
                                        half.get(k).toType(DataType.FLOAT32, false).toFloatArray(),
                                        v.toFloatArray(),
                                        0f,
                                        k);
                            });
        }
    }

    @Test
    void missingFilesAndKeysAreNamed() throws IOException {
        try (NDManager m = Engines.newManager()) {
            NoSuchFileException none =
                    assertThrows(NoSuchFileException.class, () -> UNetCheckpoints.load(tmp, m));
            assertTrue(none.getMessage().contains("config.json"), none.getMessage());
            Path dir = tmp.resolve("unet");
            Files.createDirectories(dir);
            Files.copy(TINY.resolve("config.json"), dir.resolve("config.json"));
            NoSuchFileException noWeights =
                    assertThrows(NoSuchFileException.class, () -> UNetCheckpoints.load(tmp, m));
            assertTrue(
                    noWeights.getMessage().contains(DiffusersFolders.WEIGHTS),
                    noWeights.getMessage());
            Map<String, NDArray> partial =
                    SafetensorsFile.read(TINY.resolve(DiffusersFolders.WEIGHTS), m);
            partial.remove("mid_block.attentions.0.proj_out.weight");
            SafetensorsWriter.write(dir.resolve(DiffusersFolders.WEIGHTS), partial);
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class, () -> UNetCheckpoints.load(dir, m));
            assertTrue(
                    e.getMessage().contains("mid_block.attentions.0.proj_out.weight"),
                    e.getMessage());
            assertTrue(e.getMessage().contains(DiffusersFolders.WEIGHTS), e.getMessage());
        }
    }
}
