package image2music.models.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What every trainer on {@link TrainingLoop} shares, with the defaults written once (in {@link
 * Builder}). A trainer's own configuration holds one of these beside its model-specific fields and
 * writes both into one flat JSON object (snake_case keys, as transformers' {@code
 * TrainingArguments}); keys this record does not know are kept in {@link #extra} and written back.
 *
 * @param epochs passes over the training data
 * @param maxSteps stop after this many steps in all (0: no limit); the schedule still spans all
 *     epochs, so a resumed run continues it
 * @param batchSize examples per optimiser step (the last batch of an epoch may be smaller)
 * @param learningRate peak learning rate
 * @param lrSchedule what follows the linear warm-up
 * @param warmupRatio fraction of all steps spent warming up linearly from 0
 * @param weightDecay AdamW's decoupled weight decay
 * @param maxGradNorm global gradient norm above which gradients are scaled down (0: no clipping)
 * @param seed run seed: initial weights, data order, augmentation and each step's libtorch seed
 *     derive from it
 * @param checkpointEvery steps between checkpoints (0: only at epoch ends)
 * @param keepCheckpoints how many {@code checkpoint-<step>} folders to keep (newest)
 * @param logEvery steps between step lines in metrics.jsonl
 * @param ema whether to keep an exponential moving average of the weights
 * @param emaDecay the EMA's largest decay
 * @param emaWarmup whether the EMA's decay warms up as {@code (1 + step) / (10 + step)}
 * @param gradientAccumulation micro-batches of {@code batchSize} whose gradients are summed into
 *     one optimiser step (a step reads {@code batchSize × gradientAccumulation} examples)
 * @param validateEvery steps between validations (0: at every epoch end)
 * @param mixedPrecision whether steps compute in float16 with a loss scale
 * @param extra keys read from JSON that this record does not know, written back unchanged
 */
public record TrainingArguments(
        int epochs,
        long maxSteps,
        int batchSize,
        double learningRate,
        LrSchedule.Decay lrSchedule,
        double warmupRatio,
        double weightDecay,
        double maxGradNorm,
        long seed,
        int checkpointEvery,
        int keepCheckpoints,
        int logEvery,
        boolean ema,
        double emaDecay,
        boolean emaWarmup,
        int gradientAccumulation,
        int validateEvery,
        MixedPrecision mixedPrecision,
        JsonObject extra) {

    /** The JSON keys this record reads and writes (all others go to {@link #extra}). */
    public static final List<String> KEYS =
            List.of(
                    "epochs",
                    "max_steps",
                    "batch_size",
                    "learning_rate",
                    "lr_schedule",
                    "warmup_ratio",
                    "weight_decay",
                    "max_grad_norm",
                    "seed",
                    "checkpoint_every",
                    "keep_checkpoints",
                    "log_every",
                    "ema",
                    "ema_decay",
                    "ema_warmup",
                    "gradient_accumulation",
                    "validate_every",
                    "mixed_precision");

    public TrainingArguments {
        if (epochs < 1 || batchSize < 1) {
            throw new IllegalArgumentException(
                    "epochs and batch size must be >= 1, got " + epochs + " and " + batchSize);
        }
        if (!(learningRate > 0) || !(warmupRatio >= 0 && warmupRatio < 1)) {
            throw new IllegalArgumentException(
                    "Bad learning rate " + learningRate + " or warm-up ratio " + warmupRatio);
        }
        if (checkpointEvery < 0 || keepCheckpoints < 1 || logEvery < 1 || maxSteps < 0) {
            throw new IllegalArgumentException(
                    "Bad checkpoint-every "
                            + checkpointEvery
                            + ", keep "
                            + keepCheckpoints
                            + ", log-every "
                            + logEvery
                            + " or max-steps "
                            + maxSteps);
        }
        if (lrSchedule == null || !(maxGradNorm >= 0) || !(emaDecay >= 0 && emaDecay <= 1)) {
            throw new IllegalArgumentException(
                    "Bad lr schedule "
                            + lrSchedule
                            + ", max grad norm "
                            + maxGradNorm
                            + " or EMA decay "
                            + emaDecay);
        }
        if (gradientAccumulation < 1 || validateEvery < 0) {
            throw new IllegalArgumentException(
                    "Bad gradient accumulation "
                            + gradientAccumulation
                            + " or validate-every "
                            + validateEvery);
        }
        if (mixedPrecision == null) {
            throw new IllegalArgumentException("mixed precision must be given");
        }
        extra = extra == null ? new JsonObject() : extra.deepCopy();
    }

    /** Examples one optimiser step reads: the micro-batch times the accumulation. */
    public int examplesPerStep() {
        return batchSize * gradientAccumulation;
    }

    /** A copy of the unknown keys (the record stays unchanged). */
    @Override
    public JsonObject extra() {
        return extra.deepCopy();
    }

    /** The defaults (see {@link Builder}'s fields). */
    public static TrainingArguments defaults() {
        return builder().build();
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these arguments. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The learning-rate schedule over {@code totalSteps}. */
    public LrSchedule schedule(long totalSteps) {
        return new LrSchedule(
                learningRate, Math.round(warmupRatio * totalSteps), totalSteps, lrSchedule);
    }

    /** The arguments as a flat JSON object, {@link #extra} included. */
    public JsonObject toJson() {
        JsonObject o = extra.deepCopy();
        o.addProperty("epochs", epochs);
        o.addProperty("max_steps", maxSteps);
        o.addProperty("batch_size", batchSize);
        o.addProperty("learning_rate", learningRate);
        o.addProperty("lr_schedule", lrSchedule.name().toLowerCase(Locale.ROOT));
        o.addProperty("warmup_ratio", warmupRatio);
        o.addProperty("weight_decay", weightDecay);
        o.addProperty("max_grad_norm", maxGradNorm);
        o.addProperty("seed", seed);
        o.addProperty("checkpoint_every", checkpointEvery);
        o.addProperty("keep_checkpoints", keepCheckpoints);
        o.addProperty("log_every", logEvery);
        o.addProperty("ema", ema);
        o.addProperty("ema_decay", emaDecay);
        o.addProperty("ema_warmup", emaWarmup);
        o.addProperty("gradient_accumulation", gradientAccumulation);
        o.addProperty("validate_every", validateEvery);
        o.addProperty("mixed_precision", mixedPrecision.key());
        return o;
    }

    /**
     * Reads {@link #toJson}'s form; absent keys take the defaults, unknown keys go to {@link
     * #extra}.
     */
    public static TrainingArguments fromJson(JsonObject o) {
        Builder b = builder();
        JsonObject extra = new JsonObject();
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            JsonElement v = e.getValue();
            switch (e.getKey()) {
                case "epochs" -> b.epochs(v.getAsInt());
                case "max_steps" -> b.maxSteps(v.getAsLong());
                case "batch_size" -> b.batchSize(v.getAsInt());
                case "learning_rate" -> b.learningRate(v.getAsDouble());
                case "lr_schedule" ->
                        b.lrSchedule(
                                LrSchedule.Decay.valueOf(v.getAsString().toUpperCase(Locale.ROOT)));
                case "warmup_ratio" -> b.warmupRatio(v.getAsDouble());
                case "weight_decay" -> b.weightDecay(v.getAsDouble());
                case "max_grad_norm" -> b.maxGradNorm(v.getAsDouble());
                case "seed" -> b.seed(v.getAsLong());
                case "checkpoint_every" -> b.checkpointEvery(v.getAsInt());
                case "keep_checkpoints" -> b.keepCheckpoints(v.getAsInt());
                case "log_every" -> b.logEvery(v.getAsInt());
                case "ema" -> b.ema(v.getAsBoolean());
                case "ema_decay" -> b.emaDecay(v.getAsDouble());
                case "ema_warmup" -> b.emaWarmup(v.getAsBoolean());
                case "gradient_accumulation" -> b.gradientAccumulation(v.getAsInt());
                case "validate_every" -> b.validateEvery(v.getAsInt());
                case "mixed_precision" -> b.mixedPrecision(MixedPrecision.parse(v.getAsString()));
                default -> extra.add(e.getKey(), v.deepCopy());
            }
        }
        return b.extra(extra).build();
    }

    /**
     * Builds {@link TrainingArguments}; its field initialisers are the defaults: 10 epochs of 16
     * examples, no step limit, lr 3e-4 with 10 % linear warm-up then cosine decay, weight decay
     * 0.01, clipping at 1, seed 42, checkpoints every 500 steps keeping 3, log every 10 steps, no
     * EMA (decay 0.9999 with warm-up when on), no gradient accumulation, validation at epoch ends,
     * float32 throughout.
     */
    public static final class Builder {
        private int epochs = 10;
        private long maxSteps = 0;
        private int batchSize = 16;
        private double learningRate = 3e-4;
        private LrSchedule.Decay lrSchedule = LrSchedule.Decay.COSINE;
        private double warmupRatio = 0.1;
        private double weightDecay = 0.01;
        private double maxGradNorm = 1.0;
        private long seed = 42;
        private int checkpointEvery = 500;
        private int keepCheckpoints = 3;
        private int logEvery = 10;
        private boolean ema = false;
        private double emaDecay = 0.9999;
        private boolean emaWarmup = true;
        private int gradientAccumulation = 1;
        private int validateEvery = 0;
        private MixedPrecision mixedPrecision = MixedPrecision.NO;
        private JsonObject extra = new JsonObject();

        private Builder() {}

        private Builder(TrainingArguments a) {
            epochs = a.epochs;
            maxSteps = a.maxSteps;
            batchSize = a.batchSize;
            learningRate = a.learningRate;
            lrSchedule = a.lrSchedule;
            warmupRatio = a.warmupRatio;
            weightDecay = a.weightDecay;
            maxGradNorm = a.maxGradNorm;
            seed = a.seed;
            checkpointEvery = a.checkpointEvery;
            keepCheckpoints = a.keepCheckpoints;
            logEvery = a.logEvery;
            ema = a.ema;
            emaDecay = a.emaDecay;
            emaWarmup = a.emaWarmup;
            gradientAccumulation = a.gradientAccumulation;
            validateEvery = a.validateEvery;
            mixedPrecision = a.mixedPrecision;
            extra = a.extra.deepCopy();
        }

        public Builder epochs(int v) {
            epochs = v;
            return this;
        }

        public Builder maxSteps(long v) {
            maxSteps = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder learningRate(double v) {
            learningRate = v;
            return this;
        }

        public Builder lrSchedule(LrSchedule.Decay v) {
            lrSchedule = v;
            return this;
        }

        public Builder warmupRatio(double v) {
            warmupRatio = v;
            return this;
        }

        public Builder weightDecay(double v) {
            weightDecay = v;
            return this;
        }

        public Builder maxGradNorm(double v) {
            maxGradNorm = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder checkpointEvery(int v) {
            checkpointEvery = v;
            return this;
        }

        public Builder keepCheckpoints(int v) {
            keepCheckpoints = v;
            return this;
        }

        public Builder logEvery(int v) {
            logEvery = v;
            return this;
        }

        public Builder ema(boolean v) {
            ema = v;
            return this;
        }

        public Builder emaDecay(double v) {
            emaDecay = v;
            return this;
        }

        public Builder emaWarmup(boolean v) {
            emaWarmup = v;
            return this;
        }

        /** Unknown keys to carry (copied). */
        public Builder gradientAccumulation(int v) {
            gradientAccumulation = v;
            return this;
        }

        public Builder validateEvery(int v) {
            validateEvery = v;
            return this;
        }

        public Builder mixedPrecision(MixedPrecision v) {
            mixedPrecision = v;
            return this;
        }

        public Builder extra(JsonObject v) {
            extra = v == null ? new JsonObject() : v.deepCopy();
            return this;
        }

        /** The arguments, checked. */
        public TrainingArguments build() {
            return new TrainingArguments(
                    epochs,
                    maxSteps,
                    batchSize,
                    learningRate,
                    lrSchedule,
                    warmupRatio,
                    weightDecay,
                    maxGradNorm,
                    seed,
                    checkpointEvery,
                    keepCheckpoints,
                    logEvery,
                    ema,
                    emaDecay,
                    emaWarmup,
                    gradientAccumulation,
                    validateEvery,
                    mixedPrecision,
                    extra);
        }
    }
}
