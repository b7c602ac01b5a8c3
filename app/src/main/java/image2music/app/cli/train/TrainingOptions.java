package image2music.app.cli.train;

import image2music.models.nn.Engines;
import image2music.models.train.MixedPrecision;
import image2music.models.train.TrainingArguments;
import java.io.PrintWriter;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The options every training verb shares, for {@link TrainingArguments}. Each verb's subclass
 * passes its trainer's defaults, so the help shows them and no number is written twice.
 */
abstract class TrainingOptions {

    @Option(names = "--epochs", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(
            names = "--max-steps",
            paramLabel = "N",
            description =
                    "Stop after this many steps in all; 0: no limit (default: ${DEFAULT-VALUE}).")
    long maxSteps;

    @Option(names = "--batch-size", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(
            names = "--gradient-accumulation",
            paramLabel = "N",
            description =
                    "Sum the gradients of N batches into one step (default: ${DEFAULT-VALUE}).")
    int gradientAccumulation;

    @Option(
            names = "--lr",
            paramLabel = "X",
            description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--weight-decay", paramLabel = "X", description = "Default: ${DEFAULT-VALUE}.")
    double weightDecay;

    @Option(
            names = "--max-grad-norm",
            paramLabel = "X",
            description = "Global-norm clipping (default: ${DEFAULT-VALUE}).")
    double maxGradNorm;

    @Option(names = "--seed", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--ema",
            description =
                    "Keep an exponential moving average of the trained weights (in checkpoints as"
                            + " ema.safetensors); the final model gets the averaged weights.")
    boolean ema;

    @Option(
            names = "--ema-decay",
            paramLabel = "X",
            description = "Largest EMA decay, warmed up (default: ${DEFAULT-VALUE}).")
    double emaDecay;

    @Option(
            names = "--checkpoint-every",
            paramLabel = "N",
            description =
                    "Steps between checkpoints; 0: epoch ends only (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(
            names = "--keep-checkpoints",
            paramLabel = "N",
            description = "Default: ${DEFAULT-VALUE}.")
    int keepCheckpoints;

    @Option(
            names = "--log-every",
            paramLabel = "N",
            description = "Steps between metrics.jsonl lines (default: ${DEFAULT-VALUE}).")
    int logEvery;

    @Option(
            names = "--resume",
            description =
                    "Continue from the newest checkpoint in --out (same options; --max-steps may"
                            + " change); a finished run is left as it is.")
    boolean resume;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Option(
            names = "--mixed-precision",
            paramLabel = "no|fp16",
            converter = PrecisionConverter.class,
            description =
                    "fp16: matrix products in float16 with float32 weights and a dynamic loss"
                            + " scale, for a GPU (on a CPU libtorch's float16 kernels are over a"
                            + " hundred times slower); bf16 is not available (default: no).")
    MixedPrecision mixedPrecision;

    /** Reads {@code --mixed-precision}, refusing bf16 with its reason. */
    static final class PrecisionConverter implements ITypeConverter<MixedPrecision> {
        @Override
        public MixedPrecision convert(String value) {
            try {
                return MixedPrecision.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    private final TrainingArguments defaults;

    TrainingOptions(TrainingArguments defaults) {
        this.defaults = defaults;
        epochs = defaults.epochs();
        maxSteps = defaults.maxSteps();
        batchSize = defaults.batchSize();
        gradientAccumulation = defaults.gradientAccumulation();
        lr = defaults.learningRate();
        weightDecay = defaults.weightDecay();
        maxGradNorm = defaults.maxGradNorm();
        seed = defaults.seed();
        ema = defaults.ema();
        emaDecay = defaults.emaDecay();
        checkpointEvery = defaults.checkpointEvery();
        keepCheckpoints = defaults.keepCheckpoints();
        logEvery = defaults.logEvery();
        mixedPrecision = defaults.mixedPrecision();
    }

    /**
     * Warns when float16 is asked for on a CPU: libtorch's float16 CPU kernels are unoptimised (a
     * preset step took over a hundred times as long as in float32), so it only makes sense on a
     * GPU. Call after the engine has started.
     */
    void warnAboutPrecision(PrintWriter err) {
        if (mixedPrecision == MixedPrecision.FP16 && !Engines.device().isGpu()) {
            err.println(
                    "warning: --mixed-precision fp16 runs on the CPU here, where float16 is over a"
                            + " hundred times slower than float32; it is meant for a GPU");
            err.flush();
        }
    }

    /** The defaults with these options over them; the verb sets its own extras on the builder. */
    TrainingArguments.Builder arguments() {
        return defaults.toBuilder()
                .epochs(epochs)
                .maxSteps(maxSteps)
                .batchSize(batchSize)
                .gradientAccumulation(gradientAccumulation)
                .learningRate(lr)
                .weightDecay(weightDecay)
                .maxGradNorm(maxGradNorm)
                .seed(seed)
                .ema(ema)
                .emaDecay(emaDecay)
                .checkpointEvery(checkpointEvery)
                .keepCheckpoints(keepCheckpoints)
                .logEvery(logEvery)
                .mixedPrecision(mixedPrecision);
    }
}
