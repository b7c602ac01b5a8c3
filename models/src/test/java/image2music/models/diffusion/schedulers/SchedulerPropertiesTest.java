package image2music.models.diffusion.schedulers;

import static image2music.models.Tolerances.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import image2music.models.nn.Engines;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Properties of the schedulers without a diffusers fixture (Euler ancestral, DPM-Solver++) and of
 * the shared machinery: exact recovery of x0 under an oracle model, DPM++ 2M against an independent
 * double-precision implementation of the paper's update, seeded determinism, grid shapes and ends,
 * config resolution and refusals.
 */
class SchedulerPropertiesTest {

    private static final Shape SHAPE = new Shape(2, 4, 3, 5);

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = Engines.newManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** SD-1.x's scheduler_config.json (the fixtures' base config). */
    private static JsonObject sd15(String className) {
        JsonObject o = new JsonObject();
        o.addProperty("_class_name", className);
        o.addProperty("num_train_timesteps", 1000);
        o.addProperty("beta_start", 0.00085);
        o.addProperty("beta_end", 0.012);
        o.addProperty("beta_schedule", "scaled_linear");
        o.addProperty("clip_sample", false);
        o.addProperty("set_alpha_to_one", false);
        o.addProperty("steps_offset", 1);
        o.addProperty("skip_prk_steps", true);
        return o;
    }

    private static Scheduler create(String name) {
        return Schedulers.fromConfig(sd15("PNDMScheduler"), name);
    }

    private NDArray gaussian(long seed) {
        return NoiseSource.seeded(seed).next(manager, SHAPE, DataType.FLOAT32);
    }

    private static double[] repeat(double t) {
        double[] a = new double[(int) SHAPE.get(0)];
        Arrays.fill(a, t);
        return a;
    }

    // ---- recovery of x0 by an oracle model --------------------------------------------------

    /** Runs a full sampling loop where the model returns the exact ε of {@code x0}. */
    private NDArray sampleWithOracle(
            Scheduler s, NDArray x0, NoiseSource noise, boolean sigmaForm) {
        double[] ts = s.timesteps();
        double[] acp = NoiseSchedule.of(s.config()).alphasCumprod();
        NDArray x = s.addNoise(x0, gaussian(1), repeat(ts[0]));
        for (int i = 0; i < ts.length; i++) {
            NDArray eps;
            if (sigmaForm) {
                // x = x0 + σ·ε (Euler's unscaled sample): ε = (x − x0)/σ.
                double sigma = ((double[]) sigmas(s))[i];
                eps = x.sub(x0).div((float) sigma);
            } else {
                // x = sqrt(ᾱ)·x0 + sqrt(1 − ᾱ)·ε.
                double a = acp[(int) ts[i]];
                eps = x.sub(x0.mul((float) Math.sqrt(a))).div((float) Math.sqrt(1 - a));
            }
            s.scaleModelInput(x, ts[i]);
            x = s.step(eps, ts[i], x, noise).prevSample();
        }
        return x;
    }

    private static double[] sigmas(Scheduler s) {
        if (s instanceof EulerDiscreteScheduler e) {
            return e.sigmas();
        }
        return ((EulerAncestralDiscreteScheduler) s).sigmas();
    }

    @Test
    void eulerAncestralRecoversX0FromTheTrueNoise() {
        Scheduler s = create("euler-a");
        s.setTimesteps(30);
        NDArray x0 = gaussian(42);
        NDArray out = sampleWithOracle(s, x0, NoiseSource.seeded(3), true);
        // The last step has σ_next = 0, so σ_up = σ_down = 0: no noise is left.
        assertClose("x0 after 30 ancestral steps", x0, out, 2e-5, 1e-5);
    }

    @Test
    void eulerRecoversX0FromTheTrueNoise() {
        Scheduler s = create("euler");
        s.setTimesteps(20);
        NDArray x0 = gaussian(43);
        assertClose("x0 after 20 Euler steps", x0, sampleWithOracle(s, x0, null, true), 2e-5, 1e-5);
    }

    @Test
    void dpmSolverPlusPlusRecoversX0FromTheTrueNoise() {
        for (int n : new int[] {1, 2, 7, 25}) {
            try (Scheduler s = create("dpm++")) {
                s.setTimesteps(n);
                NDArray x0 = gaussian(44 + n);
                assertClose(
                        "x0 after " + n + " DPM++ 2M steps",
                        x0,
                        sampleWithOracle(s, x0, null, false),
                        2e-5,
                        1e-5);
            }
        }
    }

    @Test
    void ddimWithAlphaToOneRecoversX0FromTheTrueNoise() {
        JsonObject c = sd15("DDIMScheduler");
        c.addProperty("set_alpha_to_one", true);
        Scheduler s = Schedulers.fromConfig(c, null);
        s.setTimesteps(10);
        NDArray x0 = gaussian(45);
        assertClose("x0 after 10 DDIM steps", x0, sampleWithOracle(s, x0, null, false), 2e-5, 1e-5);
    }

    // ---- DPM-Solver++(2M) against the paper --------------------------------------------------

    @Test
    void dpmSolverPlusPlus2MMatchesADoublePrecisionReferenceOfThePaper() {
        int n = 6;
        try (Scheduler s = create("dpm++")) {
            s.setTimesteps(n);
            // diffusers: linspace(0, 999, n + 1).round()[::-1][:-1].
            assertArrayEquals(new double[] {999, 832, 666, 500, 333, 166}, s.timesteps());
            double[] acp = NoiseSchedule.of(s.config()).alphasCumprod();

            SplittableRandom r = new SplittableRandom(5);
            int size = (int) SHAPE.size();
            double[] x = new double[size];
            for (int j = 0; j < size; j++) {
                x[j] = 14 * r.nextGaussian();
            }
            double[][] eps = new double[n][size];
            for (double[] e : eps) {
                for (int j = 0; j < size; j++) {
                    e[j] = r.nextGaussian();
                }
            }

            // Reference: Lu et al. 2022, Algorithm 2 (DPM-Solver++(2M)), in the VP notation
            // α = sqrt(ᾱ), σ = sqrt(1 − ᾱ), λ = log(α/σ), data prediction x̂0 = (x − σε)/α;
            // the grid ends at σ = 0 (α = 1), where the first-order step returns x̂0.
            double[] alpha = new double[n + 1];
            double[] sigma = new double[n + 1];
            double[] ts = s.timesteps();
            for (int i = 0; i < n; i++) {
                alpha[i] = Math.sqrt(acp[(int) ts[i]]);
                sigma[i] = Math.sqrt(1 - acp[(int) ts[i]]);
            }
            alpha[n] = 1;
            sigma[n] = 0;
            double[] ref = x.clone();
            double[] prevX0 = null;
            for (int i = 0; i < n; i++) {
                double[] x0 = new double[size];
                for (int j = 0; j < size; j++) {
                    x0[j] = (ref[j] - sigma[i] * eps[i][j]) / alpha[i];
                }
                if (i == n - 1) {
                    ref = x0;
                    break;
                }
                double h = Math.log(alpha[i + 1] / sigma[i + 1]) - Math.log(alpha[i] / sigma[i]);
                double[] d = x0;
                if (i > 0) {
                    double hPrev =
                            Math.log(alpha[i] / sigma[i]) - Math.log(alpha[i - 1] / sigma[i - 1]);
                    double rr = hPrev / h;
                    d = new double[size];
                    for (int j = 0; j < size; j++) {
                        d[j] = (1 + 1 / (2 * rr)) * x0[j] - (1 / (2 * rr)) * prevX0[j];
                    }
                }
                for (int j = 0; j < size; j++) {
                    ref[j] =
                            sigma[i + 1] / sigma[i] * ref[j]
                                    - alpha[i + 1] * (Math.exp(-h) - 1) * d[j];
                }
                prevX0 = x0;
            }

            NDArray sample = manager.create(toFloats(x), SHAPE);
            for (int i = 0; i < n; i++) {
                NDArray e = manager.create(toFloats(eps[i]), SHAPE);
                sample = s.step(e, ts[i], sample).prevSample();
            }
            assertClose(
                    "DPM++ 2M after " + n + " steps",
                    manager.create(toFloats(ref), SHAPE),
                    sample,
                    1e-5,
                    1e-5);
        }
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    // ---- seeded determinism -----------------------------------------------------------------

    private float[] ancestralRun(long seed) {
        Scheduler s = create("euler-a");
        s.setTimesteps(8);
        NoiseSource noise = NoiseSource.seeded(seed);
        NDArray x = gaussian(9).mul((float) s.initNoiseSigma());
        NDArray eps = gaussian(10);
        for (double t : s.timesteps()) {
            s.scaleModelInput(x, t);
            x = s.step(eps, t, x, noise).prevSample();
        }
        return x.toFloatArray();
    }

    @Test
    void aSeedReproducesAnAncestralRunExactlyAndAnotherSeedDoesNot() {
        float[] a = ancestralRun(1234);
        assertArrayEquals(a, ancestralRun(1234));
        assertFalse(Arrays.equals(a, ancestralRun(1235)));
    }

    @Test
    void seededNoiseIsStandardNormalAndRepeatable() {
        Shape shape = new Shape(100, 101);
        float[] a = NoiseSource.seeded(7).next(manager, shape, DataType.FLOAT32).toFloatArray();
        float[] b = NoiseSource.seeded(7).next(manager, shape, DataType.FLOAT32).toFloatArray();
        assertArrayEquals(a, b);
        double mean = 0;
        double sq = 0;
        for (float v : a) {
            mean += v;
            sq += v * v;
        }
        mean /= a.length;
        double std = Math.sqrt(sq / a.length - mean * mean);
        // 10100 draws: the standard errors are 0.01 (mean) and 0.007 (std).
        assertEquals(0, mean, 0.04);
        assertEquals(1, std, 0.03);
    }

    @Test
    void ddpmStepIsReproducibleFromItsSeedAndNeedsNoise() {
        DDPMScheduler s = (DDPMScheduler) create("ddpm");
        s.setTimesteps(50);
        NDArray x = gaussian(11);
        NDArray eps = gaussian(12);
        float[] a = s.step(eps, 481, x, NoiseSource.seeded(5)).prevSample().toFloatArray();
        float[] b = s.step(eps, 481, x, NoiseSource.seeded(5)).prevSample().toFloatArray();
        assertArrayEquals(a, b);
        assertThrows(IllegalArgumentException.class, () -> s.step(eps, 481, x));
        // The last step (t = 1 → −19) adds noise too; t = 0 would not.
        s.step(eps, 1, x, NoiseSource.of(List.of(gaussian(13))));
    }

    @Test
    void ddimWithEtaOneIsStochasticButSeeded() {
        DDIMScheduler s = ((DDIMScheduler) create("ddim")).withEta(1.0);
        s.setTimesteps(10);
        NDArray x = gaussian(14);
        NDArray eps = gaussian(15);
        double t = s.timesteps()[3];
        assertThrows(IllegalArgumentException.class, () -> s.step(eps, t, x));
        float[] a = s.step(eps, t, x, NoiseSource.seeded(1)).prevSample().toFloatArray();
        float[] b = s.step(eps, t, x, NoiseSource.seeded(1)).prevSample().toFloatArray();
        float[] det = s.withEta(0).step(eps, t, x, null).prevSample().toFloatArray();
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, det));
    }

    // ---- grids --------------------------------------------------------------------------------

    @Test
    void dpmSolverGridHasOneTimestepPerStepAndEndsAtSigmaZero() {
        DPMSolverMultistepScheduler s = (DPMSolverMultistepScheduler) create("dpm++");
        s.setTimesteps(25);
        double[] t = s.timesteps();
        double[] sig = s.sigmas();
        assertEquals(25, t.length);
        assertEquals(26, sig.length);
        assertEquals(999, t[0]);
        assertEquals(0, sig[25]);
        assertEquals(Timesteps.sigmasF32(NoiseSchedule.of(s.config()))[999], sig[0]);
        for (int i = 1; i < t.length; i++) {
            assertTrue(t[i] < t[i - 1] && t[i] == Math.rint(t[i]), "timesteps descend: " + i);
            assertTrue(sig[i] < sig[i - 1], "sigmas descend: " + i);
        }
        assertEquals(1.0, s.initNoiseSigma());
    }

    @Test
    void eulerAncestralGridRunsFrom999To0AndStartsAtSigmaMax() {
        EulerAncestralDiscreteScheduler s = (EulerAncestralDiscreteScheduler) create("euler-a");
        s.setTimesteps(10);
        double[] t = s.timesteps();
        double[] sig = s.sigmas();
        assertEquals(10, t.length);
        assertEquals(999, t[0]);
        assertEquals(0, t[9]);
        assertEquals(11, sig.length);
        assertEquals(0, sig[10]);
        assertEquals((float) sig[0], (float) s.initNoiseSigma());
        assertEquals(14.6146, sig[0], 1e-4);
    }

    @Test
    void spacingsFollowDiffusers() {
        JsonObject c = sd15("DDIMScheduler");
        c.addProperty("timestep_spacing", "trailing");
        Scheduler trailing = Schedulers.fromConfig(c, null);
        trailing.setTimesteps(7);
        // np.round(np.arange(1000, 0, -1000/7)) - 1
        assertArrayEquals(new double[] {999, 856, 713, 570, 428, 285, 142}, trailing.timesteps());
        c.addProperty("timestep_spacing", "linspace");
        Scheduler linspace = Schedulers.fromConfig(c, null);
        linspace.setTimesteps(4);
        assertArrayEquals(new double[] {999, 666, 333, 0}, linspace.timesteps());
        Scheduler leading = create("ddim");
        leading.setTimesteps(3);
        assertArrayEquals(new double[] {667, 334, 1}, leading.timesteps());
        Scheduler pndm = create("pndm");
        pndm.setTimesteps(4);
        assertArrayEquals(new double[] {751, 501, 501, 251, 1}, pndm.timesteps());
        pndm.setTimesteps(1);
        assertArrayEquals(new double[] {1}, pndm.timesteps());
    }

    // ---- memory ---------------------------------------------------------------------------------

    @Test
    void stepsFreeTheirIntermediatesAndStatefulOnesKeepABoundedHistory() {
        for (Schedulers kind : Schedulers.values()) {
            try (NDManager m = manager.newSubManager();
                    Scheduler s = kind.create(sd15("PNDMScheduler"))) {
                s.setTimesteps(12);
                NoiseSource noise = NoiseSource.seeded(1);
                NDArray x = m.create(new float[(int) SHAPE.size()], SHAPE);
                NDArray eps = m.create(new float[(int) SHAPE.size()], SHAPE).add(0.5f);
                int[] counts = new int[12];
                double[] ts = s.timesteps();
                for (int i = 0; i < 12; i++) {
                    NDArray in = s.scaleModelInput(x, ts[i]);
                    if (in != x) {
                        in.close();
                    }
                    StepOutput out = s.step(eps, ts[i], x, noise);
                    x.close();
                    if (out.predOriginalSample() != null) {
                        out.predOriginalSample().close();
                    }
                    x = out.prevSample();
                    counts[i] = m.getManagedArrays().size();
                }
                assertEquals(
                        counts[5],
                        counts[11],
                        kind + ": arrays held, by step " + Arrays.toString(counts));
            }
        }
    }

    // ---- configuration ------------------------------------------------------------------------

    @Test
    void namesResolveToTheirClassesAndUnknownNamesAreListed() {
        assertEquals(Schedulers.EULER_ANCESTRAL, Schedulers.forName("euler-a"));
        assertEquals(
                Schedulers.DPM_SOLVER_MULTISTEP, Schedulers.forName("DPMSolverMultistepScheduler"));
        assertEquals(Schedulers.PNDM, Schedulers.forName("pndmscheduler"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Schedulers.forName("lms"));
        assertTrue(
                e.getMessage().contains("'lms'") && e.getMessage().contains("dpm++"),
                e.getMessage());
        for (Schedulers s : Schedulers.values()) {
            assertEquals(s, Schedulers.forName(s.cliName()));
            assertEquals(s, Schedulers.forName(s.className()));
        }
    }

    @Test
    void switchingSchedulerKeepsTheFileKeysAndTakesTheNewClassDefaults() {
        Scheduler s = Schedulers.fromConfig(sd15("PNDMScheduler"), "dpm++");
        assertInstanceOf(DPMSolverMultistepScheduler.class, s);
        SchedulerConfig c = s.config();
        assertEquals("DPMSolverMultistepScheduler", c.className());
        assertEquals("scaled_linear", c.betaSchedule());
        assertEquals(2, c.integer("solver_order"));
        assertEquals("linspace", c.timestepSpacing());
        assertTrue(c.flag("skip_prk_steps"), "unknown keys are kept");
        JsonObject json = c.toJson();
        assertEquals("DPMSolverMultistepScheduler", json.get("_class_name").getAsString());
        assertEquals(Schedulers.DPM_SOLVER_MULTISTEP.config(json), c);
    }

    @Test
    void unsupportedOptionsAreRefusedByName() {
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {"DDIMScheduler", "thresholding", "true"});
        cases.add(new String[] {"EulerDiscreteScheduler", "use_karras_sigmas", "true"});
        cases.add(
                new String[] {"DPMSolverMultistepScheduler", "algorithm_type", "sde-dpmsolver++"});
        cases.add(new String[] {"DDPMScheduler", "variance_type", "learned_range"});
        cases.add(new String[] {"DDPMScheduler", "beta_schedule", "sigmoid"});
        cases.add(new String[] {"PNDMScheduler", "skip_prk_steps", "false"});
        for (String[] c : cases) {
            JsonObject o = sd15(c[0]);
            if (c[2].equals("true") || c[2].equals("false")) {
                o.addProperty(c[1], Boolean.parseBoolean(c[2]));
            } else {
                o.addProperty(c[1], c[2]);
            }
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> Schedulers.fromConfig(o, null),
                            Arrays.toString(c));
            assertTrue(
                    e.getMessage().contains(c[0]) && e.getMessage().contains(c[1]), e.getMessage());
        }
    }

    // ---- training targets -----------------------------------------------------------------------

    @Test
    void vPredictionTargetIsConsistentWithTheStepsX0() {
        JsonObject c = sd15("DDPMScheduler");
        c.addProperty("prediction_type", "v_prediction");
        DDPMScheduler s = (DDPMScheduler) Schedulers.fromConfig(c, null);
        NDArray x0 = gaussian(20);
        NDArray noise = gaussian(21);
        double[] t = {700, 30};
        NDArray v = s.target(x0, noise, t);
        double[] acp = s.schedule().alphasCumprod();
        for (int b = 0; b < 2; b++) {
            double a = acp[(int) t[b]];
            NDArray expected =
                    noise.get(b)
                            .mul((float) Math.sqrt(a))
                            .sub(x0.get(b).mul((float) Math.sqrt(1 - a)));
            assertClose("v row " + b, expected, v.get(b), 1e-6, 1e-6);
        }
        // A model predicting v exactly lets the step recover x0 from the row noised at t.
        NDArray noisy = s.addNoise(x0, noise, t);
        s.setTimesteps(50);
        for (int b = 0; b < 2; b++) {
            StepOutput out =
                    s.step(
                            v.get(b).expandDims(0),
                            t[b],
                            noisy.get(b).expandDims(0),
                            NoiseSource.seeded(0));
            assertClose(
                    "x0 row " + b, x0.get(b).expandDims(0), out.predOriginalSample(), 1e-5, 1e-5);
        }
        Scheduler eps = create("ddpm");
        assertClose("epsilon target", noise, ((DDPMScheduler) eps).target(x0, noise, t), 0, 0);
    }
}
