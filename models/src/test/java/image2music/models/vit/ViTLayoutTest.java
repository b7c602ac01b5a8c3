package image2music.models.vit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import image2music.models.Fixtures;
import image2music.models.nn.Engines;
import image2music.models.nn.HfConfigs;
import image2music.models.nn.SafetensorsFile;
import image2music.models.nn.SafetensorsWriter;
import image2music.models.nn.StateDict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HF key layouts of ViT-base (manifests) and the folder round trips. */
class ViTLayoutTest {

    private static final Path TINY = Fixtures.path("hf/vit_tiny");

    @TempDir Path tmp;

    @Test
    void vitBaseIn21kBackboneHasExactlyTheHfKeysShapesAndOrder() throws IOException {
        JsonObject manifest =
                HfConfigs.read(Fixtures.path("hf/manifests/vit_base_patch16_224_in21k.json"));
        ViTConfig c = ViTConfig.fromJson(manifest.getAsJsonObject("config"));
        assertMatchesManifest(new ViTModel(c, true), manifest);
    }

    @Test
    void vitBaseClassifierHasExactlyTheHfKeysShapesAndOrder() throws IOException {
        JsonObject manifest =
                HfConfigs.read(
                        Fixtures.path(
                                "hf/manifests/vit_base_patch16_224_for_image_classification.json"));
        ViTConfig c = ViTConfig.fromJson(manifest.getAsJsonObject("config"));
        assertEquals(10, c.labels().size());
        assertEquals(ViTConfig.MULTI_LABEL, c.problemType());
        assertMatchesManifest(new ViTForImageClassification(c), manifest);
    }

    private static void assertMatchesManifest(Block model, JsonObject manifest) {
        List<String> expected = new ArrayList<>();
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (JsonElement e : manifest.getAsJsonArray("tensors")) {
            JsonObject t = e.getAsJsonObject();
            expected.add(t.get("name").getAsString());
            JsonArray s = t.getAsJsonArray("shape");
            long[] dims = new long[s.size()];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = s.get(i).getAsLong();
            }
            shapes.put(t.get("name").getAsString(), new Shape(dims));
        }
        Map<String, Parameter> params = StateDict.parameters(model);
        assertEquals(expected, List.copyOf(params.keySet()));
        params.forEach((k, p) -> assertEquals(shapes.get(k), p.getShape(), k));
        assertEquals(manifest.get("num_parameters").getAsLong(), StateDict.parameterCount(model));
    }

    @Test
    void saveThenLoadIsBitExact() throws IOException {
        try (NDManager m = Engines.newManager()) {
            Engines.engine().setRandomSeed(7);
            ViTConfig c =
                    ViTConfig.read(TINY.resolve("config.json"))
                            .withLabels(List.of("calm", "dark", "happy"), ViTConfig.SINGLE_LABEL);
            ViTForImageClassification a = new ViTForImageClassification(c);
            a.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32);
            Path dir = tmp.resolve("model");
            ViTCheckpoints.save(a, dir);
            ViTForImageClassification b = ViTCheckpoints.load(dir, m);
            assertEquals(c.labels(), b.config().labels());
            assertEquals(c.problemType(), b.config().problemType());
            Map<String, NDArray> wa = StateDict.arrays(a);
            StateDict.arrays(b)
                    .forEach(
                            (k, v) ->
                                    assertArrayEquals(
                                            wa.get(k).toFloatArray(), v.toFloatArray(), 0f, k));
            NDArray x = m.randomNormal(new Shape(1, 3, 32, 32));
            ParameterStore ps = new ParameterStore(m, false);
            assertArrayEquals(
                    a.run(ps, x, false, false, false).logits().toFloatArray(),
                    b.run(ps, x, false, false, false).logits().toFloatArray(),
                    0f);
        }
    }

    @Test
    void loadsABackboneOnlyFolderUnderAFreshClassifier() throws IOException {
        try (NDManager m = Engines.newManager()) {
            Map<String, NDArray> cls = SafetensorsFile.read(TINY.resolve("model.safetensors"), m);
            // Build the in21k layout from the fixture: no "vit." prefix, a pooler, no classifier.
            Map<String, NDArray> backbone = new LinkedHashMap<>();
            cls.forEach(
                    (k, v) -> {
                        if (k.startsWith("vit.")) {
                            backbone.put(k.substring(4), v);
                        }
                    });
            backbone.put("pooler.dense.weight", m.ones(new Shape(32, 32)));
            backbone.put("pooler.dense.bias", m.zeros(new Shape(32)));
            Path dir = tmp.resolve("in21k");
            Files.createDirectories(dir);
            SafetensorsWriter.write(dir.resolve("model.safetensors"), backbone);
            Files.copy(TINY.resolve("config.json"), dir.resolve("config.json"));

            ViTForImageClassification model = ViTCheckpoints.load(dir, m);
            Map<String, NDArray> loaded = StateDict.arrays(model);
            backbone.forEach(
                    (k, v) -> {
                        if (!k.startsWith("pooler.")) {
                            assertArrayEquals(
                                    v.toFloatArray(), loaded.get("vit." + k).toFloatArray(), 0f, k);
                        }
                    });
            assertEquals(new Shape(5, 32), loaded.get("classifier.weight").getShape());
            assertFalse(
                    cls.get("classifier.weight").contentEquals(loaded.get("classifier.weight")));
            assertEquals(0f, loaded.get("classifier.bias").abs().sum().getFloat());

            ViTForImageClassification reheaded =
                    ViTCheckpoints.loadWithNewHead(
                            TINY, List.of("a", "b", "c"), ViTConfig.MULTI_LABEL, m);
            assertEquals(
                    new Shape(3, 32),
                    StateDict.arrays(reheaded).get("classifier.weight").getShape());
        }
    }

    @Test
    void aClassifierFolderWithMissingWeightsFailsNamingTheKeys() throws IOException {
        try (NDManager m = Engines.newManager()) {
            Map<String, NDArray> w =
                    new LinkedHashMap<>(SafetensorsFile.read(TINY.resolve("model.safetensors"), m));
            w.remove("vit.layernorm.weight");
            Path dir = tmp.resolve("broken");
            Files.createDirectories(dir);
            SafetensorsWriter.write(dir.resolve("model.safetensors"), w);
            Files.copy(TINY.resolve("config.json"), dir.resolve("config.json"));
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> ViTCheckpoints.load(dir, m));
            assertTrue(e.getMessage().contains("1 missing: vit.layernorm.weight"), e.getMessage());
            assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
        }
    }

    @Test
    void configRoundTripsThroughJsonAndFillsHfDefaults() throws IOException {
        ViTConfig c = ViTConfig.read(TINY.resolve("config.json"));
        assertEquals(32, c.hiddenSize());
        assertEquals(8, c.patchSize());
        assertEquals(17, c.sequenceLength());
        assertEquals(List.of("label_0", "label_1", "label_2", "label_3", "label_4"), c.labels());
        assertEquals(1e-12f, c.layerNormEps());
        Path out = tmp.resolve("config.json");
        c.write(out);
        assertEquals(c, ViTConfig.read(out));
        assertEquals("4.47.0.dev0", HfConfigs.read(out).get("transformers_version").getAsString());

        ViTConfig defaults = ViTConfig.fromJson(new JsonObject());
        assertEquals(
                ViTConfig.base(List.of("LABEL_0", "LABEL_1"), null).hiddenSize(),
                defaults.hiddenSize());
        assertEquals(224, defaults.imageSize());
        assertEquals(List.of("LABEL_0", "LABEL_1"), defaults.labels());
        assertEquals(null, defaults.problemType());
    }
}
