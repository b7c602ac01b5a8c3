package image2music.models.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonElement;
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
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SD-1.5 VAE key layout, legacy attention keys and folder round trips. */
class VaeLayoutTest {

    private static final Path TINY = Fixtures.path("hf/vae_tiny");

    @TempDir Path tmp;

    @Test
    void sd15VaeHasExactlyTheDiffusersKeysShapesAndOrderWithoutAllocating() throws IOException {
        JsonObject manifest = Manifests.read("vae_sd15.json");
        AutoencoderKLConfig c = AutoencoderKLConfig.fromJson(manifest.getAsJsonObject("config"));
        Manifests.assertMatches(new AutoencoderKL(c), manifest);
        Manifests.assertMatches(new AutoencoderKL(AutoencoderKLConfig.sd15()), manifest);
    }

    @Test
    void legacyAttentionNamesAndConvShapedProjectionsLoadUnchanged() throws IOException {
        JsonObject aliases =
                Manifests.read("vae_sd15.json").getAsJsonObject("legacy_attention_key_aliases");
        try (NDManager m = Engines.newManager()) {
            Map<String, NDArray> modern =
                    SafetensorsFile.read(TINY.resolve(DiffusersFolders.WEIGHTS), m);
            Map<String, NDArray> legacy = new LinkedHashMap<>();
            int renamed = 0;
            for (Map.Entry<String, NDArray> e : modern.entrySet()) {
                JsonElement old = aliases.get(e.getKey());
                NDArray v = e.getValue();
                if (old != null) {
                    renamed++;
                    if (v.getShape().dimension() == 2) {
                        v = v.reshape(v.getShape().get(0), v.getShape().get(1), 1, 1);
                    }
                }
                legacy.put(old == null ? e.getKey() : old.getAsString(), v);
            }
            assertEquals(16, renamed, "both mid-block attentions renamed");
            Path dir = tmp.resolve("vae");
            Files.createDirectories(dir);
            Files.copy(TINY.resolve("config.json"), dir.resolve("config.json"));
            SafetensorsWriter.write(dir.resolve(DiffusersFolders.WEIGHTS), legacy);
            Map<String, NDArray> loaded = StateDict.arrays(VaeCheckpoints.load(tmp, m));
            assertEquals(modern.keySet(), loaded.keySet());
            modern.forEach(
                    (k, v) ->
                            assertArrayEquals(
                                    v.toFloatArray(), loaded.get(k).toFloatArray(), 0f, k));
        }
    }

    @Test
    void saveThenLoadIsBitExact() throws IOException {
        try (NDManager m = Engines.newManager()) {
            AutoencoderKL vae = VaeCheckpoints.load(TINY, m);
            Path out = tmp.resolve("vae");
            VaeCheckpoints.save(vae, out);
            AutoencoderKL back = VaeCheckpoints.load(out, m);
            assertEquals(vae.config(), back.config());
            Map<String, NDArray> a = StateDict.arrays(vae);
            Map<String, NDArray> b = StateDict.arrays(back);
            assertEquals(a.keySet(), b.keySet());
            a.forEach(
                    (k, v) -> assertArrayEquals(v.toFloatArray(), b.get(k).toFloatArray(), 0f, k));
        }
    }

    @Test
    void unknownBlockTypeIsNamed() throws IOException {
        JsonObject o = HfConfigs.read(TINY.resolve("config.json"));
        o.getAsJsonArray("up_block_types").set(0, new JsonPrimitive("AttnUpDecoderBlock2D"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> AutoencoderKLConfig.fromJson(o));
        assertTrue(e.getMessage().contains("AttnUpDecoderBlock2D"), e.getMessage());
    }
}
