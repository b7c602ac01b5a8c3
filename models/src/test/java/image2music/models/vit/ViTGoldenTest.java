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
import image2music.models.Fixtures;
import image2music.models.nn.Engines;
import image2music.models.nn.SafetensorsFile;
import image2music.models.nn.StateDict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** transformers' ViTForImageClassification outputs and gradients on the vit_tiny fixture. */
class ViTGoldenTest {

    private static final Path DIR = Fixtures.path("hf/vit_tiny");

    private static NDManager manager;
    private static ViTForImageClassification model;
    private static Map<String, NDArray> inputs;
    private static Map<String, NDArray> outputs;

    @BeforeAll
    static void load() throws IOException {
        manager = Engines.engine().newBaseManager(ai.djl.Device.cpu());
        model = ViTCheckpoints.load(DIR, manager);
        inputs = SafetensorsFile.read(DIR.resolve("inputs.safetensors"), manager);
        outputs = SafetensorsFile.read(DIR.resolve("outputs.safetensors"), manager);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void forwardMatchesTransformers() {
        try (NDManager step = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(step, false);
            ViTOutput o = model.run(ps, inputs.get("pixel_values"), false, true, true);
            assertClose("logits", outputs.get("logits"), o.logits(), OUTPUT_ABS, OUTPUT_REL);
            for (int i = 0; i < o.hiddenStates().size(); i++) {
                assertClose(
                        "hidden_states." + i,
                        outputs.get("hidden_states." + i),
                        o.hiddenStates().get(i),
                        OUTPUT_ABS,
                        OUTPUT_REL);
            }
            assertEquals(3, o.hiddenStates().size());
            for (int i = 0; i < o.attentions().size(); i++) {
                assertClose(
                        "attentions." + i,
                        outputs.get("attentions." + i),
                        o.attentions().get(i),
                        OUTPUT_ABS,
                        OUTPUT_REL);
            }
            assertEquals(2, o.attentions().size());
            assertClose(
                    "vit.last_hidden_state",
                    outputs.get("vit.last_hidden_state"),
                    o.sequenceOutput(),
                    OUTPUT_ABS,
                    OUTPUT_REL);
            NDArray loss = model.loss(o.logits(), inputs.get("labels"));
            assertClose("loss", outputs.get("loss").reshape(), loss, LOSS_ABS, 0);
        }
    }

    @Test
    void everyParameterGradientMatchesTransformers() throws IOException {
        Map<String, NDArray> grads =
                SafetensorsFile.read(DIR.resolve("grads.safetensors"), manager);
        Map<String, Parameter> params = StateDict.parameters(model);
        assertEquals(grads.keySet(), params.keySet(), "gradient keys = parameter keys");
        try (NDManager step = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(step, false);
            try (GradientCollector gc = Engines.engine().newGradientCollector()) {
                NDArray logits =
                        model.run(ps, inputs.get("pixel_values"), true, false, false).logits();
                gc.backward(model.loss(logits, inputs.get("labels")));
            }
            for (Map.Entry<String, NDArray> g : grads.entrySet()) {
                NDArray actual = params.get(g.getKey()).getArray().getGradient();
                assertClose("grad " + g.getKey(), g.getValue(), actual, GRAD_ABS, GRAD_REL);
            }
        }
    }
}
