package image2music.models.diffusion.schedulers;

import static image2music.models.Tolerances.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import image2music.models.Fixtures;
import image2music.models.nn.Engines;
import image2music.models.nn.HfConfigs;
import image2music.models.nn.SafetensorsFile;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every scheduler table, timestep grid and step output of the diffusers 0.31.0 fixtures ({@code
 * fixtures/hf/schedulers/}, SD-1.x config), within the fixture README's tolerances.
 */
class SchedulerGoldenTest {

    /**
     * Scheduler tables, σ and float timesteps: relative error. The README allows 1e-6; we reproduce
     * diffusers' float32 arithmetic (libtorch's fused linspace included) and get them bit for bit,
     * so any difference is a regression.
     */
    static final double TABLE_REL = 0;

    /** Scheduler step outputs: absolute error. */
    static final double STEP_ABS = 1e-5;

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = Engines.newManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static JsonObject config(String name) throws IOException {
        return HfConfigs.read(Fixtures.path("hf/schedulers/" + name + "_scheduler_config.json"));
    }

    private static JsonObject reference(String name) throws IOException {
        return HfConfigs.read(Fixtures.path("hf/schedulers/schedulers.json"))
                .getAsJsonObject("schedulers")
                .getAsJsonObject(name);
    }

    private SafetensorsFile tensors(String name) throws IOException {
        return SafetensorsFile.open(Fixtures.path("hf/schedulers/" + name + ".safetensors"));
    }

    private static double[] doubles(NDArray a) {
        float[] f = a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static double[] longsAsDoubles(NDArray a) {
        long[] l = a.toLongArray();
        double[] d = new double[l.length];
        for (int i = 0; i < l.length; i++) {
            d[i] = l[i];
        }
        return d;
    }

    static void assertTable(String what, double[] expected, double[] actual, double rel) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double bound = rel * Math.abs(expected[i]);
            if (!(Math.abs(actual[i] - expected[i]) <= bound)) {
                fail(
                        String.format(
                                "%s[%d] is %.10g, expected %.10g (relative bound %.1g)",
                                what, i, actual[i], expected[i], rel));
            }
        }
    }

    private void assertTimesteps(String what, SafetensorsFile f, Scheduler s) throws IOException {
        double[] expected = longsAsDoubles(f.load("timesteps_50", manager));
        assertArrayEquals(expected, s.timesteps(), what + " timesteps_50 (exact)");
    }

    @Test
    void ddpmTablesTimestepsAddNoiseAndStochasticStepsMatchDiffusers() throws IOException {
        DDPMScheduler s = (DDPMScheduler) Schedulers.fromConfig(config("ddpm"), null);
        try (SafetensorsFile f = tensors("ddpm")) {
            NoiseSchedule tables = s.schedule();
            assertTable("betas", doubles(f.load("betas", manager)), tables.betas(), TABLE_REL);
            assertTable("alphas", doubles(f.load("alphas", manager)), tables.alphas(), TABLE_REL);
            assertTable(
                    "alphas_cumprod",
                    doubles(f.load("alphas_cumprod", manager)),
                    tables.alphasCumprod(),
                    TABLE_REL);

            double[] t = longsAsDoubles(f.load("add_noise.timesteps", manager));
            assertArrayEquals(new double[] {0, 1, 250, 500, 999}, t);
            NDArray noisy =
                    s.addNoise(
                            f.load("add_noise.original_samples", manager),
                            f.load("add_noise.noise", manager),
                            t);
            assertClose(
                    "add_noise", f.load("add_noise.noisy_samples", manager), noisy, STEP_ABS, 0);

            s.setTimesteps(50);
            assertTimesteps("ddpm", f, s);
            double[] stepT = {981, 481, 1};
            for (int k = 0; k < stepT.length; k++) {
                String p = "step" + k + ".";
                NoiseSource noise = NoiseSource.of(List.of(f.load(p + "variance_noise", manager)));
                StepOutput out =
                        s.step(
                                f.load(p + "model_output", manager),
                                stepT[k],
                                f.load(p + "sample", manager),
                                noise);
                assertClose(
                        p + "prev_sample",
                        f.load(p + "prev_sample", manager),
                        out.prevSample(),
                        STEP_ABS,
                        0);
                assertClose(
                        p + "pred_original_sample",
                        f.load(p + "pred_original_sample", manager),
                        out.predOriginalSample(),
                        STEP_ABS,
                        0);
            }
        }
    }

    @Test
    void ddimFourStepTrajectoryMatchesDiffusers() throws IOException {
        Scheduler s = Schedulers.fromConfig(config("ddim"), null);
        try (SafetensorsFile f = tensors("ddim")) {
            assertTable(
                    "alphas_cumprod",
                    doubles(f.load("alphas_cumprod", manager)),
                    NoiseSchedule.of(s.config()).alphasCumprod(),
                    TABLE_REL);
            s.setTimesteps(50);
            assertTimesteps("ddim", f, s);
            assertEquals(1.0, s.initNoiseSigma());
            NDArray sample = f.load("x_T", manager).mul((float) s.initNoiseSigma());
            assertClose("sample_0", f.load("sample_0", manager), sample, 0, 0);
            double[] ts = s.timesteps();
            for (int k = 0; k < 4; k++) {
                String p = "step" + k + ".";
                StepOutput out = s.step(f.load(p + "model_output", manager), ts[k], sample);
                assertClose(
                        p + "pred_original_sample",
                        f.load(p + "pred_original_sample", manager),
                        out.predOriginalSample(),
                        STEP_ABS,
                        0);
                assertClose(
                        p + "prev_sample",
                        f.load(p + "prev_sample", manager),
                        out.prevSample(),
                        STEP_ABS,
                        0);
                sample = out.prevSample();
            }
        }
    }

    @Test
    void pndmSixStatefulPlmsStepsMatchDiffusers() throws IOException {
        try (Scheduler s = Schedulers.fromConfig(config("pndm"), null);
                SafetensorsFile f = tensors("pndm")) {
            assertTable(
                    "alphas_cumprod",
                    doubles(f.load("alphas_cumprod", manager)),
                    NoiseSchedule.of(s.config()).alphasCumprod(),
                    TABLE_REL);
            s.setTimesteps(50);
            assertEquals(51, s.timesteps().length);
            assertTimesteps("pndm", f, s);
            NDArray sample = f.load("x_T", manager).mul((float) s.initNoiseSigma());
            assertClose("sample_0", f.load("sample_0", manager), sample, 0, 0);
            double[] ts = s.timesteps();
            for (int k = 0; k < 6; k++) {
                String p = "step" + k + ".";
                StepOutput out = s.step(f.load(p + "model_output", manager), ts[k], sample);
                assertNull(out.predOriginalSample());
                assertClose(
                        p + "prev_sample (t=" + ts[k] + ")",
                        f.load(p + "prev_sample", manager),
                        out.prevSample(),
                        STEP_ABS,
                        0);
                sample = out.prevSample();
            }
        }
    }

    @Test
    void eulerSigmasScaledInputsAndTrajectoryMatchDiffusers() throws IOException {
        try (Scheduler generic = Schedulers.fromConfig(config("euler"), null);
                SafetensorsFile f = tensors("euler")) {
            EulerDiscreteScheduler s = (EulerDiscreteScheduler) generic;
            assertTable(
                    "alphas_cumprod",
                    doubles(f.load("alphas_cumprod", manager)),
                    NoiseSchedule.of(s.config()).alphasCumprod(),
                    TABLE_REL);
            s.setTimesteps(50);
            assertTable(
                    "timesteps_50",
                    doubles(f.load("timesteps_50", manager)),
                    s.timesteps(),
                    TABLE_REL);
            assertTable("sigmas_50", doubles(f.load("sigmas_50", manager)), s.sigmas(), TABLE_REL);
            double expectedInit = reference("euler").get("init_noise_sigma").getAsDouble();
            assertEquals(expectedInit, s.initNoiseSigma(), TABLE_REL * expectedInit);

            NDArray sample = f.load("x_T", manager).mul((float) s.initNoiseSigma());
            assertClose("sample_0", f.load("sample_0", manager), sample, STEP_ABS, 0);
            double[] ts = s.timesteps();
            for (int k = 0; k < 4; k++) {
                String p = "step" + k + ".";
                assertClose(
                        p + "scaled_model_input",
                        f.load(p + "scaled_model_input", manager),
                        s.scaleModelInput(sample, ts[k]),
                        STEP_ABS,
                        0);
                StepOutput out = s.step(f.load(p + "model_output", manager), ts[k], sample);
                assertClose(
                        p + "pred_original_sample",
                        f.load(p + "pred_original_sample", manager),
                        out.predOriginalSample(),
                        STEP_ABS,
                        0);
                assertClose(
                        p + "prev_sample",
                        f.load(p + "prev_sample", manager),
                        out.prevSample(),
                        STEP_ABS,
                        0);
                sample = out.prevSample();
            }
        }
    }
}
