package image2music.models.diffusion;

import static image2music.models.Tolerances.OUTPUT_ABS;
import static image2music.models.Tolerances.OUTPUT_REL;
import static image2music.models.Tolerances.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import image2music.models.Fixtures;
import image2music.models.nn.Engines;
import image2music.models.nn.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** diffusers' AutoencoderKL encode, posterior and decode on the vae_tiny fixture. */
class VaeGoldenTest {

    private static final Path DIR = Fixtures.path("hf/vae_tiny");

    private static NDManager manager;
    private static AutoencoderKL vae;
    private static Map<String, NDArray> inputs;
    private static Map<String, NDArray> outputs;

    @BeforeAll
    static void load() throws IOException {
        manager = Engines.engine().newBaseManager(ai.djl.Device.cpu());
        vae = VaeCheckpoints.load(DIR, manager);
        inputs = SafetensorsFile.read(DIR.resolve("inputs.safetensors"), manager);
        outputs = SafetensorsFile.read(DIR.resolve("outputs.safetensors"), manager);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static void check(String name, NDArray actual) {
        assertClose(name, outputs.get(name), actual, OUTPUT_ABS, OUTPUT_REL);
    }

    @Test
    void encodeAndPosteriorMatchDiffusers() {
        try (NDManager step = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(step, false);
            NDArray image = inputs.get("image");
            check("encoder_out", vae.encoderOutput(ps, image, false));
            check("moments", vae.moments(ps, image, false));
            LatentDistribution d = vae.encode(ps, image, false);
            check("latent_mean", d.mean());
            check("latent_logvar", d.logvar());
            check("latent_std", d.std());
            NDArray sample = d.sample(inputs.get("eps"));
            check("latent_sample", sample);
            check("scaled_latent_sample", sample.mul(vae.scalingFactor()));
            assertEquals(0.18215f, vae.scalingFactor());
        }
    }

    @Test
    void decodeAndReconstructionMatchDiffusers() {
        try (NDManager step = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(step, false);
            check("decoded", vae.decode(ps, inputs.get("latents"), false));
            NDArray mean = vae.encode(ps, inputs.get("image"), false).mean();
            check("reconstruction", vae.decode(ps, mean, false));
        }
    }
}
