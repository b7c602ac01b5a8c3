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
import image2music.models.GoldenFixture;
import image2music.models.nn.Engines;
import image2music.models.nn.StateDict;
import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** transformers' CLIPTextModel outputs on the clip_text_tiny fixture. */
class CLIPTextGoldenTest {

    private static GoldenFixture fx;
    private static CLIPTextModel model;

    @BeforeAll
    static void load() throws IOException {
        fx = GoldenFixture.open("hf/clip_text_tiny");
        model = fx.load(CLIPTextCheckpoints::load);
    }

    @AfterAll
    static void close() {
        fx.close();
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
        try (NDManager step = fx.manager().newSubManager()) {
            ParameterStore ps = new ParameterStore(step, false);
            CLIPTextOutput o = model.run(ps, fx.input("input_ids"), false, true);
            assertEquals(3, o.hiddenStates().size());
            for (int i = 0; i < 3; i++) {
                assertClose(
                        "hidden_states." + i,
                        fx.output("hidden_states." + i),
                        o.hiddenStates().get(i),
                        OUTPUT_ABS,
                        OUTPUT_REL);
            }
            assertClose(
                    "last_hidden_state",
                    fx.output("last_hidden_state"),
                    o.lastHiddenState(),
                    OUTPUT_ABS,
                    OUTPUT_REL);
            assertClose(
                    "pooler_output",
                    fx.output("pooler_output"),
                    o.pooledOutput(),
                    OUTPUT_ABS,
                    OUTPUT_REL);
        }
    }

    @Test
    void backwardReachesEveryParameterAndOnlyTheUsedTokenRows() {
        try (NDManager step = fx.manager().newSubManager()) {
            ParameterStore ps = new ParameterStore(step, false);
            Map<String, Parameter> params = StateDict.parameters(model);
            try (GradientCollector gc = Engines.engine().newGradientCollector()) {
                CLIPTextOutput o = model.run(ps, fx.input("input_ids"), true, false);
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
            for (long id : fx.input("input_ids").toLongArray()) {
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
        try (NDManager step = fx.manager().newSubManager()) {
            ParameterStore ps = new ParameterStore(step, false);
            CLIPTextOutput o = model.run(ps, fx.input("input_ids"), false, false);
            float worst =
                    o.lastHiddenState().sub(fx.output("last_hidden_state")).abs().max().getFloat();
            assertEquals(0f, worst, 1e-5f);
        }
    }
}
