package image2music.models.diffusion.schedulers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Liu et al.'s pseudo numerical methods (PLMS), as diffusers' {@code PNDMScheduler} with {@code
 * skip_prk_steps} — Stable Diffusion 1.x's shipped scheduler. The grid repeats its second timestep:
 * the first two steps form a second-order (Heun-like) warm-up over the first interval, then linear
 * multistep combinations of up to four past model outputs follow (Adams–Bashforth orders 2, 3, 4).
 * Scalars are computed in float32 exactly as diffusers does. The Runge–Kutta warm-up ({@code
 * skip_prk_steps} false) is not implemented and is refused.
 *
 * <p><b>Stateful</b>: it keeps the last four model outputs and the warm-up sample, so steps must be
 * made once each, in the order of {@link #timesteps()}; {@link #setTimesteps} starts a new run. The
 * kept arrays live in a manager of its own, released by {@link #close()}.
 */
public final class PNDMScheduler extends AlphaScheduler {

    private final boolean vPrediction;
    private final float finalAlphaCumprod;
    private int counter;
    private final List<NDArray> ets = new ArrayList<>();
    private NDArray curSample;
    private NDManager state;

    /** diffusers' constructor defaults. */
    public static JsonObject defaults() {
        JsonObject o = NoiseSchedule.defaults();
        o.addProperty("skip_prk_steps", false);
        o.addProperty("set_alpha_to_one", false);
        o.addProperty("prediction_type", "epsilon");
        o.addProperty("timestep_spacing", "leading");
        o.addProperty("steps_offset", 0);
        return o;
    }

    public PNDMScheduler(SchedulerConfig config) {
        super(config, false);
        this.vPrediction =
                config.require("prediction_type", "epsilon", "v_prediction").equals("v_prediction");
        if (!config.flag("skip_prk_steps")) {
            throw config.bad(
                    "skip_prk_steps", "false (the PRK warm-up is not implemented; use true)");
        }
        this.finalAlphaCumprod = config.flag("set_alpha_to_one") ? 1f : schedule.alphaCumprod(0);
    }

    @Override
    public void setTimesteps(int n) {
        // The PLMS grid ascending: diffusers' _timesteps.
        double[] asc = Timesteps.reversed(spaced(n));
        // [t_0 … t_{n-2}, t_{n-2}, t_{n-1}] reversed: the second-largest timestep twice (a
        // one-step run has just its timestep, as numpy's slices give).
        double[] plms;
        if (n == 1) {
            plms = new double[] {asc[0]};
        } else {
            plms = new double[n + 1];
            System.arraycopy(asc, 0, plms, 0, n - 1);
            plms[n - 1] = asc[n - 2];
            plms[n] = asc[n - 1];
        }
        timesteps = Timesteps.reversed(plms);
        numInferenceSteps = n;
        reset();
    }

    private void reset() {
        ets.clear();
        curSample = null;
        counter = 0;
        if (state != null) {
            state.close();
            state = null;
        }
    }

    @Override
    public StepOutput step(
            NDArray modelOutput, double timestep, NDArray sample, NoiseSource noise) {
        requireTimesteps();
        NoiseSchedule.checkSameShape(sample, modelOutput);
        int t = Timesteps.discrete(timestep, schedule.size());
        int ratio = schedule.size() / numInferenceSteps;
        if (state == null) {
            state = sample.getManager().newSubManager();
        }
        int prevT = t - ratio;
        if (counter != 1) {
            while (ets.size() > 3) {
                ets.remove(0).close();
            }
        }
        boolean warmUpDone = false;
        NDArray prev;
        try (StepScope s = new StepScope(sample)) {
            NDArray x = s.in(sample);
            NDArray out = s.in(modelOutput);
            // Kept arrays join the scope while used, so that what is computed from them is freed.
            ets.forEach(s::in);
            s.in(curSample);
            NDArray newEt = null;
            if (counter != 1) {
                newEt = out.duplicate();
                ets.add(newEt);
            } else {
                // The second call redoes the first interval from the stored sample.
                prevT = t;
                t = t + ratio;
            }
            int k = ets.size();
            NDArray newSample = null;
            NDArray e;
            if (k == 1 && counter == 0) {
                e = out;
                newSample = x.duplicate();
            } else if (k == 1 && counter == 1) {
                e = out.add(ets.get(0)).div(2f);
                x = curSample;
                warmUpDone = true;
            } else if (k == 2) {
                e = ets.get(1).mul(3f).sub(ets.get(0)).div(2f);
            } else if (k == 3) {
                e = ets.get(2).mul(23f).sub(ets.get(1).mul(16f)).add(ets.get(0).mul(5f)).div(12f);
            } else {
                e =
                        ets.get(3)
                                .mul(55f)
                                .sub(ets.get(2).mul(59f))
                                .add(ets.get(1).mul(37f))
                                .sub(ets.get(0).mul(9f))
                                .mul((float) (1.0 / 24));
            }
            prev = s.keep(previousSample(x, t, prevT, e));
            if (newEt != null) {
                newEt.attach(state);
            }
            if (newSample != null) {
                newSample.attach(state);
                curSample = newSample;
            }
        }
        if (warmUpDone) {
            curSample.close();
            curSample = null;
        }
        counter++;
        return new StepOutput(prev, null);
    }

    /** Formula (9) of the PNDM paper: x_{t−δ} from x_t and the combined noise estimate. */
    private NDArray previousSample(NDArray x, int t, int prevT, NDArray e) {
        float alphaProd = schedule.alphaCumprod(t);
        float alphaProdPrev = prevT >= 0 ? schedule.alphaCumprod(prevT) : finalAlphaCumprod;
        float betaProd = 1f - alphaProd;
        float betaProdPrev = 1f - alphaProdPrev;
        if (vPrediction) {
            e = e.mul(sqrt(alphaProd)).add(x.mul(sqrt(betaProd)));
        }
        float sampleCoeff = sqrt(alphaProdPrev / alphaProd);
        float denom = alphaProd * sqrt(betaProdPrev) + sqrt(alphaProd * betaProd * alphaProdPrev);
        NDArray scaled = x.mul(sampleCoeff);
        NDArray correction = e.mul(alphaProdPrev - alphaProd).div(denom);
        return scaled.sub(correction);
    }

    @Override
    public void close() {
        reset();
    }
}
