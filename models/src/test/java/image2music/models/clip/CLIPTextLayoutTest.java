package image2music.models.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
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

/** CLIP-L's HF key layout (manifest), folder round trips, config and pooling rules. */
class CLIPTextLayoutTest {

    private static final Path TINY = Fixtures.path("hf/clip_text_tiny");

    @TempDir Path tmp;

    @Test
    void clipVitLargeTextTowerHasExactlyTheHfKeysShapesAndOrderWithoutAllocating()
            throws IOException {
        JsonObject manifest =
                HfConfigs.read(Fixtures.path("hf/manifests/clip_vit_large_patch14_text.json"));
        CLIPTextConfig c = CLIPTextConfig.fromJson(manifest.getAsJsonObject("config"));
        assertEquals(CLIPTextConfig.clipVitLargePatch14(), withoutExtra(c));
        // Parameters know their shapes from construction: nothing is allocated here.
        CLIPTextModel model = new CLIPTextModel(c);
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
        assertEquals(123_060_480L, manifest.get("num_parameters").getAsLong());
        assertEquals(manifest.get("num_parameters").getAsLong(), StateDict.parameterCount(model));
        assertTrue(params.values().stream().noneMatch(Parameter::isInitialized));
    }

    private static CLIPTextConfig withoutExtra(CLIPTextConfig c) {
        return new CLIPTextConfig(
                c.vocabSize(),
                c.hiddenSize(),
                c.intermediateSize(),
                c.projectionDim(),
                c.numHiddenLayers(),
                c.numAttentionHeads(),
                c.maxPositionEmbeddings(),
                c.hiddenAct(),
                c.layerNormEps(),
                c.attentionDropout(),
                c.initializerRange(),
                c.initializerFactor(),
                c.padTokenId(),
                c.bosTokenId(),
                c.eosTokenId(),
                null);
    }

    @Test
    void acceptsAndIgnoresThePositionIdsBufferOfRealCheckpoints() throws IOException {
        try (NDManager m = Engines.newManager()) {
            Map<String, NDArray> w =
                    new LinkedHashMap<>(SafetensorsFile.read(TINY.resolve("model.safetensors"), m));
            w.put("text_model.embeddings.position_ids", m.arange(16L).reshape(1, 16));
            Path dir = folder("with_position_ids", w);
            CLIPTextModel model = CLIPTextCheckpoints.load(dir, m);
            assertArrayEquals(
                    w.get("text_model.final_layer_norm.weight").toFloatArray(),
                    StateDict.arrays(model)
                            .get("text_model.final_layer_norm.weight")
                            .toFloatArray(),
                    0f);
        }
    }

    @Test
    void aMissingWeightFailsNamingTheKeyAndFile() throws IOException {
        try (NDManager m = Engines.newManager()) {
            Map<String, NDArray> w =
                    new LinkedHashMap<>(SafetensorsFile.read(TINY.resolve("model.safetensors"), m));
            w.remove("text_model.encoder.layers.1.mlp.fc2.bias");
            w.put("text_model.pooler.weight", m.zeros(new Shape(2)));
            Path dir = folder("broken", w);
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class, () -> CLIPTextCheckpoints.load(dir, m));
            assertTrue(
                    e.getMessage().contains("1 missing: text_model.encoder.layers.1.mlp.fc2.bias"),
                    e.getMessage());
            assertTrue(
                    e.getMessage().contains("1 unexpected: text_model.pooler.weight"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
        }
    }

    private Path folder(String name, Map<String, NDArray> weights) throws IOException {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        SafetensorsWriter.write(dir.resolve("model.safetensors"), weights);
        Files.copy(TINY.resolve("config.json"), dir.resolve("config.json"));
        return dir;
    }

    @Test
    void saveThenLoadIsBitExact() throws IOException {
        try (NDManager m = Engines.newManager()) {
            Engines.engine().setRandomSeed(11);
            CLIPTextModel a = new CLIPTextModel(CLIPTextConfig.read(TINY.resolve("config.json")));
            a.initialize(m, DataType.FLOAT32);
            Path dir = tmp.resolve("text_encoder");
            CLIPTextCheckpoints.save(a, dir);
            CLIPTextModel b = CLIPTextCheckpoints.load(dir, m);
            assertEquals(a.config(), b.config());
            Map<String, NDArray> wa = StateDict.arrays(a);
            StateDict.arrays(b)
                    .forEach(
                            (k, v) ->
                                    assertArrayEquals(
                                            wa.get(k).toFloatArray(), v.toFloatArray(), 0f, k));
            NDArray ids = m.create(new long[][] {{98, 3, 4, 99, 99}});
            ParameterStore ps = new ParameterStore(m, false);
            assertArrayEquals(
                    a.run(ps, ids, false, false).lastHiddenState().toFloatArray(),
                    b.run(ps, ids, false, false).lastHiddenState().toFloatArray(),
                    0f);
        }
    }

    @Test
    void poolsAtTheHighestIdForLegacyConfigsElseAtTheFirstEosToken() throws IOException {
        try (NDManager m = Engines.newManager()) {
            CLIPTextModel legacy = CLIPTextCheckpoints.load(TINY, m);
            JsonObject json = HfConfigs.read(TINY.resolve("config.json"));
            json.addProperty("eos_token_id", 50);
            Path dir = tmp.resolve("eos50");
            Files.createDirectories(dir);
            HfConfigs.write(dir.resolve("config.json"), json);
            Files.copy(TINY.resolve("model.safetensors"), dir.resolve("model.safetensors"));
            CLIPTextModel eos50 = CLIPTextCheckpoints.load(dir, m);

            // Highest id 99 first at 2; token 50 first at 3; row 2 has no 50 at all.
            NDArray ids = m.create(new long[][] {{98, 5, 99, 50, 99, 50}, {98, 7, 8, 99, 99, 99}});
            ParameterStore ps = new ParameterStore(m, false);
            CLIPTextOutput a = legacy.run(ps, ids, false, false);
            CLIPTextOutput b = eos50.run(ps, ids, false, false);
            assertArrayEquals(
                    a.lastHiddenState().get(new NDIndex("0, 2")).toFloatArray(),
                    a.pooledOutput().get(0).toFloatArray(),
                    0f);
            assertArrayEquals(
                    a.lastHiddenState().get(new NDIndex("1, 3")).toFloatArray(),
                    a.pooledOutput().get(1).toFloatArray(),
                    0f);
            assertArrayEquals(
                    b.lastHiddenState().get(new NDIndex("0, 3")).toFloatArray(),
                    b.pooledOutput().get(0).toFloatArray(),
                    0f);
            assertArrayEquals(
                    b.lastHiddenState().get(new NDIndex("1, 0")).toFloatArray(),
                    b.pooledOutput().get(1).toFloatArray(),
                    0f);
        }
    }

    @Test
    void causalMaskMakesEarlyPositionsIndependentOfLaterTokens() throws IOException {
        try (NDManager m = Engines.newManager()) {
            CLIPTextModel model = CLIPTextCheckpoints.load(TINY, m);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray a =
                    model.run(ps, m.create(new long[][] {{98, 5, 17, 99}}), false, false)
                            .lastHiddenState();
            NDArray b =
                    model.run(ps, m.create(new long[][] {{98, 5, 60, 3}}), false, false)
                            .lastHiddenState();
            assertArrayEquals(
                    a.get(new NDIndex(":, :2")).toFloatArray(),
                    b.get(new NDIndex(":, :2")).toFloatArray(),
                    0f);
            assertTrue(
                    a.get(new NDIndex(":, 2:"))
                                    .sub(b.get(new NDIndex(":, 2:")))
                                    .abs()
                                    .max()
                                    .getFloat()
                            > 1e-3f);
        }
    }

    @Test
    void tooLongInputOrUnknownIdIsRefusedNamingTheLimit() throws IOException {
        try (NDManager m = Engines.newManager()) {
            CLIPTextModel model = CLIPTextCheckpoints.load(TINY, m);
            ParameterStore ps = new ParameterStore(m, false);
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    model.run(
                                            ps,
                                            m.zeros(new Shape(1, 17), DataType.INT64),
                                            false,
                                            false));
            assertTrue(e.getMessage().contains("16 position embeddings"), e.getMessage());
            IllegalArgumentException id =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> model.run(ps, m.create(new long[][] {{98, 100}}), false, false));
            assertTrue(id.getMessage().contains("Input id 100"), id.getMessage());
        }
    }

    @Test
    void configRoundTripsAndFillsHfDefaults() throws IOException {
        CLIPTextConfig c = CLIPTextConfig.read(TINY.resolve("config.json"));
        Path out = tmp.resolve("config.json");
        c.write(out);
        assertEquals(c, CLIPTextConfig.read(out));
        assertEquals("4.47.0.dev0", HfConfigs.read(out).get("transformers_version").getAsString());
        CLIPTextConfig d = CLIPTextConfig.fromJson(new JsonObject());
        assertEquals(512, d.hiddenSize());
        assertEquals(8, d.numAttentionHeads());
        assertEquals(2048, d.intermediateSize());
        assertEquals(49407, d.eosTokenId());
        assertEquals("clip_text_model", d.toJson().get("model_type").getAsString());
        JsonObject full = new JsonObject();
        full.add("text_config", HfConfigs.read(TINY.resolve("config.json")));
        assertEquals(c, CLIPTextConfig.fromJson(full));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        new CLIPTextConfig(
                                100,
                                30,
                                64,
                                32,
                                2,
                                4,
                                16,
                                "quick_gelu",
                                1e-5f,
                                0f,
                                0.02f,
                                1f,
                                1,
                                98,
                                2,
                                null));
    }
}
