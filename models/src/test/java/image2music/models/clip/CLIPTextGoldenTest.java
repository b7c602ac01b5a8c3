package image2music.models.clip;

import static image2music.models.Tolerances.OUTPUT_ABS;
import static image2music.models.Tolerances.OUTPUT_REL;
import static image2music.models.Tolerances.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import image2music.models.Fixtures;
import image2music.models.nn.Engines;
import image2music.models.nn.SafetensorsFile;
import image2music.models.nn.StateDict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** transformers' CLIPTextModel outputs on the clip_text_tiny fixture. */
class CLIPTextGoldenTest {

    private static final Path DIR = Fixtures.path("hf/clip_text_tiny");

    private static NDManager manager;
    private static CLIPTextModel model;
    private static Map<String, NDArray> inputs;
    private static Map<String, NDArray> outputs;

    @BeforeAll
    static void load() throws IOException {
        manager = Engines.engine().newBaseManager(ai.djl.Device.cpu());
        model = CLIPTextCheckpoints.load(DIR, manager);
        inputs = SafetensorsFile.read(DIR.resolve("inputs.safetensors"), manager);
        outputs = SafetensorsFile.read(DIR.resolve("outputs.safetensors"), manager);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void configIsTheFixturesTinyQuickGeluModelWithLegacyPooling() {
        CLIPTextConfig c = model.config();
        assertEquals(100, c.vocabSize());
        assertEquals(16, c.maxPositionEmbeddings());
        assertEquals("quick_gelu", c.hiddenAct());
        assertEquals(CLIPTextConfig.LEGACY_EOS_TOKEN_ID, c.eosTokenId());
    }

    @Test
    void forwardMatchesTransformers() {
        try (NDManager step = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(step, false);
            CLIPTextOutput o = model.run(ps, inputs.get("input_ids"), false, true);
            assertEquals(3, o.hiddenStates().size());
            for (int i = 0; i < 3; i++) {
                assertClose(
                        "hidden_states." + i,
                        outputs.get("hidden_states." + i),
                        o.hiddenStates().get(i),
                        OUTPUT_ABS,
                        OUTPUT_REL);
            }
            assertClose(
                    "last_hidden_state",
                    outputs.get("last_hidden_state"),
                    o.lastHiddenState(),
                    OUTPUT_ABS,
                    OUTPUT_REL);
            assertClose(
                    "pooler_output",
                    outputs.get("pooler_output"),
                    o.pooledOutput(),
                    OUTPUT_ABS,
                    OUTPUT_REL);
        }
    }

    @Test
    void backwardReachesEveryParameterAndOnlyTheUsedTokenRows() {
        try (NDManager step = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(step, false);
            Map<String, Parameter> params = StateDict.parameters(model);
            try (GradientCollector gc = Engines.engine().newGradientCollector()) {
                CLIPTextOutput o = model.run(ps, inputs.get("input_ids"), true, false);
                gc.backward(o.lastHiddenState().square().mean().add(o.pooledOutput().sum()));
            }
            params.forEach(
                    (k, p) ->
                            assertTrue(
                                    p.getArray().getGradient().abs().sum().getFloat() > 0,
                                    "no gradient for " + k));
            NDArray tokenGrad =
                    params.get("text_model.embeddings.token_embedding.weight")
                            .getArray()
                            .getGradient()
                            .abs()
                            .sum(new int[] {1});
            Set<Long> used = new HashSet<>();
            for (long id : inputs.get("input_ids").toLongArray()) {
                used.add(id);
            }
            float[] perRow = tokenGrad.toFloatArray();
            for (int id = 0; id < perRow.length; id++) {
                assertEquals(used.contains((long) id), perRow[id] > 0, "token row " + id);
            }
        }
    }

    @Test
    void worstErrorIsAtTheFloat32Level() {
        try (NDManager step = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(step, false);
            CLIPTextOutput o = model.run(ps, inputs.get("input_ids"), false, false);
            float worst =
                    o.lastHiddenState()
                            .sub(outputs.get("last_hidden_state"))
                            .abs()
                            .max()
                            .getFloat();
            assertEquals(0f, worst, 1e-5f);
        }
    }
}
