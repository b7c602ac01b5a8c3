package image2music.models.diffusion.schedulers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import image2music.models.nn.Tensors;

/**
 * The training noise schedule: {@code betas}, {@code alphas = 1 - betas} and {@code
 * alphas_cumprod}, computed as diffusers does. diffusers keeps these tables in float32, so every
 * value here is the float32 result (held in a double): betas from torch's float32 {@code linspace},
 * {@code 1 - beta} in float32, and the cumulative product accumulated in double and rounded per
 * element, as libtorch's CPU {@code cumprod} does.
 *
 * <p>Immutable.
 */
public final class NoiseSchedule {

    private final double[] betas;
    private final double[] alphas;
    private final double[] alphasCumprod;

    private NoiseSchedule(double[] betas) {
        this.betas = betas;
        this.alphas = new double[betas.length];
        this.alphasCumprod = new double[betas.length];
        double acc = 1.0;
        for (int i = 0; i < betas.length; i++) {
            alphas[i] = (float) (1.0f - (float) betas[i]);
            acc *= alphas[i];
            alphasCumprod[i] = (float) acc;
        }
    }

    /**
     * diffusers' defaults for the keys every scheduler reads into this table (SD's betas differ).
     */
    public static JsonObject defaults() {
        JsonObject o = new JsonObject();
        o.addProperty("num_train_timesteps", 1000);
        o.addProperty("beta_start", 0.0001);
        o.addProperty("beta_end", 0.02);
        o.addProperty("beta_schedule", "linear");
        o.add("trained_betas", JsonNull.INSTANCE);
        return o;
    }

    /**
     * The schedule of {@code config}: {@code trained_betas}, or {@code beta_schedule} {@code
     * linear}, {@code scaled_linear} or {@code squaredcos_cap_v2}.
     */
    public static NoiseSchedule of(SchedulerConfig config) {
        config.refuseFlag("rescale_betas_zero_snr");
        int n = config.numTrainTimesteps();
        double[] trained = config.trainedBetas();
        if (trained != null) {
            if (trained.length != n) {
                throw config.bad(
                        "trained_betas", trained.length + " values for num_train_timesteps " + n);
            }
            double[] b = new double[n];
            for (int i = 0; i < n; i++) {
                b[i] = (float) trained[i];
            }
            return new NoiseSchedule(b);
        }
        String schedule =
                config.require("beta_schedule", "linear", "scaled_linear", "squaredcos_cap_v2");
        return new NoiseSchedule(
                switch (schedule) {
                    case "linear" -> linspaceF32(config.betaStart(), config.betaEnd(), n);
                    case "scaled_linear" -> {
                        double[] b =
                                linspaceF32(
                                        Math.sqrt(config.betaStart()),
                                        Math.sqrt(config.betaEnd()),
                                        n);
                        for (int i = 0; i < n; i++) {
                            float r = (float) b[i];
                            b[i] = r * r;
                        }
                        yield b;
                    }
                    default -> cosineBetas(n);
                });
    }

    /**
     * Floats per AVX2 vector: libtorch's CPU kernels fill 8 lanes at a time, two vectors a turn.
     */
    private static final int LANES = 8;

    /**
     * torch.linspace in float32 as libtorch's AVX2 CPU kernel computes it (the reference's build):
     * values below half-way count up from {@code start}, the others down from {@code end}; each
     * 8-lane vector starts from such a base and adds {@code lane·step}, and the compiler fuses
     * every multiply-add. This reproduces the fixture's betas bit for bit; a plain {@code start +
     * i·step} differs by one float32 ulp in about a quarter of them.
     */
    static double[] linspaceF32(double start, double end, int steps) {
        float s = (float) start;
        float e = (float) end;
        double[] out = new double[steps];
        if (steps == 1) {
            out[0] = s;
            return out;
        }
        float step = (e - s) / (steps - 1);
        int halfway = steps / 2;
        int idx = 0;
        for (; idx + 2 * LANES <= steps; idx += 2 * LANES) {
            for (int v = idx; v < idx + 2 * LANES; v += LANES) {
                float base =
                        v < halfway
                                ? Math.fma(step, (float) v, s)
                                : Math.fma(-step, (float) (steps - v - 1), e);
                for (int j = 0; j < LANES; j++) {
                    out[v + j] = Math.fma((float) j, step, base);
                }
            }
        }
        for (; idx < steps; idx++) {
            out[idx] =
                    idx < halfway
                            ? Math.fma(step, (float) idx, s)
                            : Math.fma(-step, (float) (steps - idx - 1), e);
        }
        return out;
    }

    /** Nichol and Dhariwal's cosine schedule ({@code squaredcos_cap_v2}), capped at 0.999. */
    private static double[] cosineBetas(int n) {
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            double t1 = (double) i / n;
            double t2 = (double) (i + 1) / n;
            b[i] = (float) Math.min(1 - alphaBar(t2) / alphaBar(t1), 0.999);
        }
        return b;
    }

    private static double alphaBar(double t) {
        double c = Math.cos((t + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }

    /** Number of training timesteps. */
    public int size() {
        return betas.length;
    }

    public double[] betas() {
        return betas.clone();
    }

    public double[] alphas() {
        return alphas.clone();
    }

    public double[] alphasCumprod() {
        return alphasCumprod.clone();
    }

    /** {@code alphas_cumprod[t]} as the float32 diffusers uses. */
    public float alphaCumprod(int t) {
        if (t < 0 || t >= alphasCumprod.length) {
            throw new IllegalArgumentException(
                    "timestep " + t + " is outside [0, " + alphasCumprod.length + ")");
        }
        return (float) alphasCumprod[t];
    }

    /**
     * The forward process at integer timesteps, one per batch row: {@code sqrt(ᾱ_t)·x0 +
     * sqrt(1−ᾱ_t)·noise}, with the coefficients in float32 as diffusers computes them.
     */
    public NDArray addNoise(NDArray original, NDArray noise, double[] timesteps) {
        checkSameShape(original, noise);
        NDArray a = rowColumn(original, timesteps, false);
        NDArray b = rowColumn(original, timesteps, true);
        NDArray x = original.mul(a);
        NDArray n = noise.mul(b);
        NDArray out = x.add(n);
        a.close();
        b.close();
        x.close();
        n.close();
        return out;
    }

    /** The v-prediction target {@code sqrt(ᾱ_t)·noise − sqrt(1−ᾱ_t)·x0} per batch row. */
    public NDArray velocity(NDArray original, NDArray noise, double[] timesteps) {
        checkSameShape(original, noise);
        NDArray a = rowColumn(original, timesteps, false);
        NDArray b = rowColumn(original, timesteps, true);
        NDArray x = noise.mul(a);
        NDArray n = original.mul(b);
        NDArray out = x.sub(n);
        a.close();
        b.close();
        x.close();
        n.close();
        return out;
    }

    /** sqrt(ᾱ_t) (or sqrt(1 − ᾱ_t)) per row, shaped (B, 1, 1, …) to broadcast over {@code like}. */
    private NDArray rowColumn(NDArray like, double[] timesteps, boolean oneMinus) {
        long batch = like.getShape().get(0);
        if (timesteps.length != batch) {
            throw new IllegalArgumentException(
                    timesteps.length + " timesteps for a batch of " + batch);
        }
        float[] c = new float[timesteps.length];
        for (int i = 0; i < c.length; i++) {
            float acp = alphaCumprod(Timesteps.discrete(timesteps[i], size()));
            c[i] = (float) Math.sqrt(oneMinus ? 1f - acp : acp);
        }
        long[] dims = new long[like.getShape().dimension()];
        java.util.Arrays.fill(dims, 1);
        dims[0] = batch;
        NDArray col = Tensors.of(like.getManager(), c, new Shape(dims));
        if (like.getDataType() != DataType.FLOAT32) {
            NDArray cast = col.toType(like.getDataType(), false);
            col.close();
            return cast;
        }
        return col;
    }

    static void checkSameShape(NDArray a, NDArray b) {
        if (!a.getShape().equals(b.getShape())) {
            throw new IllegalArgumentException(
                    "Expected noise of shape " + a.getShape() + ", found " + b.getShape());
        }
    }
}
