package image2music.models.diffusion.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import image2music.models.diffusion.schedulers.DDPMScheduler;
import image2music.models.diffusion.schedulers.NoiseSchedule;
import image2music.models.diffusion.schedulers.SchedulerConfig;
import image2music.models.nn.Engines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DiffusionObjectiveTest {

    private static final double TOL = 1e-6;
    private static NDManager manager;
    private static NoiseSchedule schedule;

    @BeforeAll
    static void setUp() {
        manager = Engines.newManager();
        schedule =
                NoiseSchedule.of(
                        SchedulerConfig.merge(
                                "DDPMScheduler", DDPMScheduler.defaults(), new JsonObject()));
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    @Test
    void snrIsAlphaBarOverOneMinusAlphaBar() {
        int[] t = {0, 10, 500, 999};
        double[] snr = DiffusionObjective.snr(schedule, t);
        for (int i = 0; i < t.length; i++) {
            double a = schedule.alphaCumprod(t[i]);
            assertEquals(a / (1 - a), snr[i], 1e-9 * snr[i]);
        }
        // Early timesteps are nearly clean (high SNR), late ones nearly pure noise.
        assertEquals(true, snr[0] > 1000 && snr[3] < 1e-3);
    }

    @Test
    void minSnrWeightsFollowThePaperPerPredictionType() {
        int[] t = {0, 100, 300, 999};
        double[] snr = DiffusionObjective.snr(schedule, t);
        double gamma = 5;
        double[] eps = new DiffusionObjective("epsilon", gamma, 0).lossWeights(schedule, t);
        double[] v = new DiffusionObjective("v_prediction", gamma, 0).lossWeights(schedule, t);
        double[] x0 = new DiffusionObjective("sample", gamma, 0).lossWeights(schedule, t);
        for (int i = 0; i < t.length; i++) {
            double clipped = Math.min(snr[i], gamma);
            assertEquals(clipped / snr[i], eps[i], TOL);
            assertEquals(clipped / (snr[i] + 1), v[i], TOL);
            assertEquals(clipped, x0[i], TOL);
        }
        // Clean timesteps are down-weighted for ε, noisy ones keep weight 1.
        assertEquals(gamma / snr[0], eps[0], TOL);
        assertEquals(1.0, eps[3], TOL);
        assertArrayEquals(
                new double[] {1, 1, 1, 1},
                new DiffusionObjective("epsilon", 0, 0).lossWeights(schedule, t));
    }

    @Test
    void velocityTargetIsSqrtAlphaBarNoiseMinusSqrtOneMinusAlphaBarSample() {
        DiffusionObjective v = new DiffusionObjective("v_prediction", 0, 0);
        NDArray x0 = manager.create(new float[] {1, -2, 0.5f, 3}, new Shape(2, 1, 1, 2));
        NDArray noise = manager.create(new float[] {0.3f, 1, -1, 2}, new Shape(2, 1, 1, 2));
        double[] t = {20, 700};
        float[] got = v.target(schedule, x0, noise, t).toFloatArray();
        float[] xs = x0.toFloatArray();
        float[] ns = noise.toFloatArray();
        for (int i = 0; i < 4; i++) {
            double a = schedule.alphaCumprod((int) t[i / 2]);
            assertEquals(Math.sqrt(a) * ns[i] - Math.sqrt(1 - a) * xs[i], got[i], 1e-5);
        }
        assertEquals(noise, new DiffusionObjective("epsilon", 0, 0).target(schedule, x0, noise, t));
        assertEquals(x0, new DiffusionObjective("sample", 0, 0).target(schedule, x0, noise, t));
    }

    @Test
    void lossIsThePlainMeanSquaredErrorOrItsWeightedPerSampleMean() {
        DiffusionObjective o = new DiffusionObjective("epsilon", 0, 0);
        NDArray pred = manager.create(new float[] {1, 2, 3, 4, 0, 0, 0, 0}, new Shape(2, 4));
        NDArray target = manager.create(new float[] {0, 0, 0, 0, 1, 1, 1, 1}, new Shape(2, 4));
        // per sample: (1+4+9+16)/4 = 7.5 and 1.
        assertEquals(8.5 / 2, o.loss(pred, target, new double[] {1, 1}).getFloat(), 1e-6);
        assertEquals(
                (7.5 * 0.2 + 1 * 3) / 2,
                o.loss(pred, target, new double[] {0.2, 3}).getFloat(),
                1e-5);
        assertThrows(IllegalArgumentException.class, () -> o.loss(pred, target, new double[] {1}));
    }

    @Test
    void noiseOffsetIsConstantOverEachChannel() {
        DiffusionObjective o = new DiffusionObjective("epsilon", 0, 0.1);
        NDArray noise = manager.randomNormal(new Shape(2, 3, 4, 5));
        NDArray offset = o.drawOffset(manager, noise.getShape());
        NDArray shifted = o.noise(noise, offset);
        NDArray diff = shifted.sub(noise);
        float[] d = diff.toFloatArray();
        float[] off = offset.toFloatArray();
        for (int i = 0; i < d.length; i++) {
            assertEquals(0.1f * off[i / 20], d[i], 1e-6);
        }
        assertEquals(noise, new DiffusionObjective("epsilon", 0, 0).noise(noise, offset));
    }

    @Test
    void refusesUnknownPredictionTypes() {
        assertThrows(IllegalArgumentException.class, () -> new DiffusionObjective("flow", 0, 0));
        assertThrows(
                IllegalArgumentException.class, () -> new DiffusionObjective("epsilon", -1, 0));
    }
}
