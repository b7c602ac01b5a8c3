package image2music.models.diffusion;

import static image2music.models.Tolerances.OUTPUT_ABS;
import static image2music.models.Tolerances.OUTPUT_REL;
import static image2music.models.Tolerances.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import image2music.models.Fixtures;
import image2music.models.nn.Engines;
import image2music.models.nn.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** UNet and VAE steps leave nothing behind in the model's or the caller's manager. */
class DiffusionStepMemoryTest {

    @Test
    void unetStepsDoNotGrowLongLivedManagers() throws IOException {
        Path dir = Fixtures.path("hf/unet_tiny");
        try (NDManager modelManager = Engines.newManager();
                NDManager data = Engines.newManager()) {
            UNet2DConditionModel unet = UNetCheckpoints.load(dir, modelManager);
            Map<String, NDArray> in = SafetensorsFile.read(dir.resolve("inputs.safetensors"), data);
            NDArray expected =
                    SafetensorsFile.read(dir.resolve("outputs.safetensors"), data).get("sample");
            int modelArrays = modelManager.getManagedArrays().size();
            int dataArrays = data.getManagedArrays().size();
            for (int i = 0; i < 2; i++) {
                try (NDArray out =
                        unet.predict(
                                data,
                                in.get("sample"),
                                in.get("timestep"),
                                in.get("encoder_hidden_states"))) {
                    assertClose("sample", expected, out, OUTPUT_ABS, OUTPUT_REL);
                }
                try (NDManager step = modelManager.newSubManager();
                        GradientCollector gc = Engines.engine().newGradientCollector()) {
                    NDArray out =
                            unet.run(
                                    new ParameterStore(step, false),
                                    in.get("sample"),
                                    in.get("timestep"),
                                    in.get("encoder_hidden_states"),
                                    true,
                                    null);
                    gc.backward(out.sub(in.get("target")).square().mean());
                }
            }
            assertEquals(modelArrays, modelManager.getManagedArrays().size(), "model manager");
            assertEquals(dataArrays, data.getManagedArrays().size(), "input manager");
        }
    }

    @Test
    void vaeStepsDoNotGrowLongLivedManagers() throws IOException {
        Path dir = Fixtures.path("hf/vae_tiny");
        try (NDManager modelManager = Engines.newManager();
                NDManager data = Engines.newManager()) {
            AutoencoderKL vae = VaeCheckpoints.load(dir, modelManager);
            Map<String, NDArray> in = SafetensorsFile.read(dir.resolve("inputs.safetensors"), data);
            Map<String, NDArray> out =
                    SafetensorsFile.read(dir.resolve("outputs.safetensors"), data);
            int modelArrays = modelManager.getManagedArrays().size();
            int dataArrays = data.getManagedArrays().size();
            for (int i = 0; i < 2; i++) {
                try (NDArray mean = vae.encodeMean(data, in.get("image"));
                        NDArray image = vae.decode(data, in.get("latents"))) {
                    assertClose(
                            "latent_mean", out.get("latent_mean"), mean, OUTPUT_ABS, OUTPUT_REL);
                    assertClose("decoded", out.get("decoded"), image, OUTPUT_ABS, OUTPUT_REL);
                }
            }
            assertEquals(modelArrays, modelManager.getManagedArrays().size(), "model manager");
            assertEquals(dataArrays, data.getManagedArrays().size(), "input manager");
        }
    }
}
