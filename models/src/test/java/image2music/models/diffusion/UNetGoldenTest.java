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
import image2music.models.GoldenFixture;
import image2music.models.nn.Engines;
import image2music.models.nn.SafetensorsFile;
import image2music.models.nn.StateDict;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** diffusers' UNet2DConditionModel output, hooks, loss and gradients on the unet_tiny fixture. */
class UNetGoldenTest {

    private static GoldenFixture fx;
    private static UNet2DConditionModel model;

    @BeforeAll
    static void load() throws IOException {
        fx = GoldenFixture.open("hf/unet_tiny");
        model = fx.load(UNetCheckpoints::load);
    }

    @AfterAll
    static void close() {
        fx.close();
    }

    private static NDArray run(ParameterStore ps, boolean training, Map<String, NDArray> hooks) {
        return model.run(
                ps,
                fx.input("sample"),
                fx.input("timestep"),
                fx.input("encoder_hidden_states"),
                training,
                hooks);
    }

    private static NDArray mse(NDArray out) {
        return out.sub(fx.input("target")).square().mean();
    }

    @Test
    void forwardAndEveryHookMatchDiffusers() throws IOException {
        Map<String, NDArray> outputs = fx.outputs();
        Map<String, NDArray> expectedHooks =
                SafetensorsFile.read(fx.dir().resolve("intermediates.safetensors"), fx.manager());
        try (NDManager step = fx.manager().newSubManager()) {
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
                SafetensorsFile.read(fx.dir().resolve("grads.safetensors"), fx.manager());
        Map<String, Parameter> params = StateDict.parameters(model);
        assertTrue(params.keySet().containsAll(grads.keySet()), "gradient keys are parameters");
        assertTrue(grads.size() > 50, "fixture holds gradients of several modules");
        try (NDManager step = fx.manager().newSubManager()) {
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
