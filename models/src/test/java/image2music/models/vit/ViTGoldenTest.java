package image2music.models.vit;

import static image2music.models.Tolerances.GRAD_ABS;
import static image2music.models.Tolerances.GRAD_REL;
import static image2music.models.Tolerances.LOSS_ABS;
import static image2music.models.Tolerances.OUTPUT_ABS;
import static image2music.models.Tolerances.OUTPUT_REL;
import static image2music.models.Tolerances.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import image2music.models.GoldenFixture;
import image2music.models.nn.Engines;
import image2music.models.nn.SafetensorsFile;
import image2music.models.nn.StateDict;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** transformers' ViTForImageClassification outputs and gradients on the vit_tiny fixture. */
class ViTGoldenTest {

    private static GoldenFixture fx;
    private static ViTForImageClassification model;

    @BeforeAll
    static void load() throws IOException {
        fx = GoldenFixture.open("hf/vit_tiny");
        model = fx.load(ViTCheckpoints::load);
    }

    @AfterAll
    static void close() {
        fx.close();
    }

    @Test
    void forwardMatchesTransformers() {
        try (NDManager step = fx.manager().newSubManager()) {
            ParameterStore ps = new ParameterStore(step, false);
            ViTOutput o = model.run(ps, fx.input("pixel_values"), false, true, true);
            assertClose("logits", fx.output("logits"), o.logits(), OUTPUT_ABS, OUTPUT_REL);
            for (int i = 0; i < o.hiddenStates().size(); i++) {
                assertClose(
                        "hidden_states." + i,
                        fx.output("hidden_states." + i),
                        o.hiddenStates().get(i),
                        OUTPUT_ABS,
                        OUTPUT_REL);
            }
            assertEquals(3, o.hiddenStates().size());
            for (int i = 0; i < o.attentions().size(); i++) {
                assertClose(
                        "attentions." + i,
                        fx.output("attentions." + i),
                        o.attentions().get(i),
                        OUTPUT_ABS,
                        OUTPUT_REL);
            }
            assertEquals(2, o.attentions().size());
            assertClose(
                    "vit.last_hidden_state",
                    fx.output("vit.last_hidden_state"),
                    o.sequenceOutput(),
                    OUTPUT_ABS,
                    OUTPUT_REL);
            NDArray loss = model.loss(o.logits(), fx.input("labels"));
            assertClose("loss", fx.output("loss").reshape(), loss, LOSS_ABS, 0);
        }
    }

    @Test
    void everyParameterGradientMatchesTransformers() throws IOException {
        Map<String, NDArray> grads =
                SafetensorsFile.read(fx.dir().resolve("grads.safetensors"), fx.manager());
        Map<String, Parameter> params = StateDict.parameters(model);
        assertEquals(grads.keySet(), params.keySet(), "gradient keys = parameter keys");
        try (NDManager step = fx.manager().newSubManager()) {
            ParameterStore ps = new ParameterStore(step, false);
            try (GradientCollector gc = Engines.engine().newGradientCollector()) {
                NDArray logits =
                        model.run(ps, fx.input("pixel_values"), true, false, false).logits();
                gc.backward(model.loss(logits, fx.input("labels")));
            }
            for (Map.Entry<String, NDArray> g : grads.entrySet()) {
                NDArray actual = params.get(g.getKey()).getArray().getGradient();
                assertClose("grad " + g.getKey(), g.getValue(), actual, GRAD_ABS, GRAD_REL);
            }
        }
    }
}
