package image2music.models.diffusion;

import static image2music.models.Tolerances.OUTPUT_ABS;
import static image2music.models.Tolerances.OUTPUT_REL;
import static image2music.models.Tolerances.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import image2music.models.GoldenFixture;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** diffusers' AutoencoderKL encode, posterior and decode on the vae_tiny fixture. */
class VaeGoldenTest {

    private static GoldenFixture fx;
    private static AutoencoderKL vae;

    @BeforeAll
    static void load() throws IOException {
        fx = GoldenFixture.open("hf/vae_tiny");
        vae = fx.load(VaeCheckpoints::load);
    }

    @AfterAll
    static void close() {
        fx.close();
    }

    private static void check(String name, NDArray actual) {
        assertClose(name, fx.output(name), actual, OUTPUT_ABS, OUTPUT_REL);
    }

    @Test
    void encodeAndPosteriorMatchDiffusers() {
        try (NDManager step = fx.manager().newSubManager()) {
            ParameterStore ps = new ParameterStore(step, false);
            NDArray image = fx.input("image");
            check("encoder_out", vae.encoderOutput(ps, image, false));
            check("moments", vae.moments(ps, image, false));
            LatentDistribution d = vae.encode(ps, image, false);
            check("latent_mean", d.mean());
            check("latent_logvar", d.logvar());
            check("latent_std", d.std());
            NDArray sample = d.sample(fx.input("eps"));
            check("latent_sample", sample);
            check("scaled_latent_sample", sample.mul(vae.scalingFactor()));
            assertEquals(0.18215f, vae.scalingFactor());
        }
    }

    @Test
    void decodeAndReconstructionMatchDiffusers() {
        try (NDManager step = fx.manager().newSubManager()) {
            ParameterStore ps = new ParameterStore(step, false);
            check("decoded", vae.decode(ps, fx.input("latents"), false));
            NDArray mean = vae.encode(ps, fx.input("image"), false).mean();
            check("reconstruction", vae.decode(ps, mean, false));
        }
    }
}
