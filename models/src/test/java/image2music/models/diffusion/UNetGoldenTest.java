package image2music.models.diffusion;

import static image2music.models.Tolerances.GRAD_ABS;
import static image2music.models.Tolerances.GRAD_REL;
import static image2music.models.Tolerances.LOSS_ABS;
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
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** diffusers' UNet2DConditionModel output, hooks, loss and gradients on the unet_tiny fixture. */
class UNetGoldenTest {

    private static final Path DIR = Fixtures.path("hf/unet_tiny");

    private static NDManager manager;
    private static UNet2DConditionModel model;
    private static Map<String, NDArray> inputs;

    @BeforeAll
    static void load() throws IOException {
        manager = Engines.engine().newBaseManager(ai.djl.Device.cpu());
        model = UNetCheckpoints.load(DIR, manager);
        inputs = SafetensorsFile.read(DIR.resolve("inputs.safetensors"), manager);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static NDArray run(ParameterStore ps, boolean training, Map<String, NDArray> hooks) {
        return model.run(
                ps,
                inputs.get("sample"),
                inputs.get("timestep"),
                inputs.get("encoder_hidden_states"),
                training,
                hooks);
    }

    private static NDArray mse(NDArray out) {
        return out.sub(inputs.get("target")).square().mean();
    }

    @Test
    void forwardAndEveryHookMatchDiffusers() throws IOException {
        Map<String, NDArray> outputs =
                SafetensorsFile.read(DIR.resolve("outputs.safetensors"), manager);
        Map<String, NDArray> expectedHooks =
                SafetensorsFile.read(DIR.resolve("intermediates.safetensors"), manager);
        try (NDManager step = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(step, false);
            Map<String, NDArray> hooks = new LinkedHashMap<>();
            NDArray out = run(ps, false, hooks);
            assertTrue(
                    hooks.keySet().containsAll(expectedHooks.keySet()), hooks.keySet()::toString);
            for (Map.Entry<String, NDArray> e : expectedHooks.entrySet()) {
                assertClose(
                        e.getKey(), e.getValue(), hooks.get(e.getKey()), OUTPUT_ABS, OUTPUT_REL);
            }
            assertClose("sample", outputs.get("sample"), out, OUTPUT_ABS, OUTPUT_REL);
            assertClose("mse_loss", outputs.get("mse_loss").reshape(), mse(out), LOSS_ABS, 0);
        }
    }

    @Test
    void storedParameterGradientsMatchDiffusers() throws IOException {
        Map<String, NDArray> grads =
                SafetensorsFile.read(DIR.resolve("grads.safetensors"), manager);
        Map<String, Parameter> params = StateDict.parameters(model);
        assertTrue(params.keySet().containsAll(grads.keySet()), "gradient keys are parameters");
        assertTrue(grads.size() > 50, "fixture holds gradients of several modules");
        try (NDManager step = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(step, false);
            // The loader's buffers are garbage now: parameters must not alias them.
            System.gc();
            try (GradientCollector gc = Engines.engine().newGradientCollector()) {
                gc.backward(mse(run(ps, true, null)));
            }
            for (Map.Entry<String, NDArray> g : grads.entrySet()) {
                NDArray actual = params.get(g.getKey()).getArray().getGradient();
                assertClose("grad " + g.getKey(), g.getValue(), actual, GRAD_ABS, GRAD_REL);
            }
        }
        assertEquals(2164452, StateDict.parameterCount(model));
    }
}
