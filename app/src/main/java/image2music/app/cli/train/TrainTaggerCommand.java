package image2music.app.cli.train;

import image2music.app.cli.EngineOptions;
import image2music.app.plot.TrainingCurves;
import image2music.models.vit.ImageProcessorConfig;
import image2music.models.vit.TaggerTrainer;
import image2music.models.vit.TaggerTrainingConfig;
import image2music.models.vit.TaggingMetrics;
import image2music.models.vit.data.ImageDataset;
import image2music.models.vit.data.ImageTransforms;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code train-tagger}: trains the ViT mood tagger on a labelled image folder. */
@Command(
        name = "train-tagger",
        description = {
            "Trains a ViT image tagger on --images (a media folder with manifest.jsonl, or"
                    + " <label>/<image> folders), from scratch or from a HF ViT folder (--init).",
            "Writes checkpoint-<step>/ folders, best/ (by validation mAP or micro-F1), the final"
                    + " model, metrics.jsonl and training_curves.png into --out; --resume"
                    + " continues from the newest checkpoint exactly."
        })
public final class TrainTaggerCommand implements Callable<Integer> {

    /** The option defaults: the fields below start from these (one copy of the numbers). */
    private static final TaggerTrainingConfig DEFAULTS = TaggerTrainingConfig.defaults();

    /** The chart drawn from metrics.jsonl after each epoch. */
    public static final String CURVES = "training_curves.png";

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "Image root.")
    Path images;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(
            names = "--init",
            paramLabel = "HF_DIR",
            description = "Start from this ViT folder (backbone or classifier) with a new head.")
    Path init;

    @Option(names = "--epochs", description = "Default: ${DEFAULT-VALUE}.")
    int epochs = DEFAULTS.training().epochs();

    @Option(names = "--batch-size", description = "Default: ${DEFAULT-VALUE}.")
    int batchSize = DEFAULTS.training().batchSize();

    @Option(names = "--lr", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double lr = DEFAULTS.training().learningRate();

    @Option(
            names = "--warmup-ratio",
            description = "Share of steps warming up (default: ${DEFAULT-VALUE}).")
    double warmupRatio = DEFAULTS.training().warmupRatio();

    @Option(names = "--weight-decay", description = "Default: ${DEFAULT-VALUE}.")
    double weightDecay = DEFAULTS.training().weightDecay();

    @Option(
            names = "--max-grad-norm",
            description = "Global-norm clipping (default: ${DEFAULT-VALUE}).")
    double maxGradNorm = DEFAULTS.training().maxGradNorm();

    @Option(names = "--seed", description = "Default: ${DEFAULT-VALUE}.")
    long seed = DEFAULTS.training().seed();

    @Option(
            names = "--resume",
            description =
                    "Continue from the newest checkpoint in --out (same options; --max-steps may change).")
    boolean resume;

    @Option(
            names = "--single-label",
            description = "Softmax + cross-entropy, one label per image (default: multi-label).")
    boolean singleLabel;

    @Option(
            names = "--image-size",
            description = "From scratch: input size (default: ${DEFAULT-VALUE}).")
    int imageSize = DEFAULTS.imageSize();

    @Option(names = "--patch-size", description = "From scratch (default: ${DEFAULT-VALUE}).")
    int patchSize = DEFAULTS.patchSize();

    @Option(names = "--hidden-size", description = "From scratch (default: ${DEFAULT-VALUE}).")
    int hiddenSize = DEFAULTS.hiddenSize();

    @Option(names = "--layers", description = "From scratch (default: ${DEFAULT-VALUE}).")
    int layers = DEFAULTS.numLayers();

    @Option(names = "--heads", description = "From scratch (default: ${DEFAULT-VALUE}).")
    int heads = DEFAULTS.numHeads();

    @Option(names = "--dropout", description = "From scratch (default: ${DEFAULT-VALUE}).")
    float dropout = DEFAULTS.dropout();

    @Option(
            names = "--checkpoint-every",
            description =
                    "Steps between checkpoints; 0: epoch ends only (default: ${DEFAULT-VALUE}).")
    int checkpointEvery = DEFAULTS.training().checkpointEvery();

    @Option(names = "--keep-checkpoints", description = "Default: ${DEFAULT-VALUE}.")
    int keepCheckpoints = DEFAULTS.training().keepCheckpoints();

    @Option(
            names = "--log-every",
            description = "Steps between metrics.jsonl lines (default: ${DEFAULT-VALUE}).")
    int logEvery = DEFAULTS.training().logEvery();

    @Option(
            names = "--max-steps",
            description =
                    "Stop after this many steps in all; 0: no limit (default: ${DEFAULT-VALUE}).")
    long maxSteps = DEFAULTS.training().maxSteps();

    @Option(
            names = "--select-by",
            description = "Best-model metric: map or micro_f1 (default: ${DEFAULT-VALUE}).")
    String selectBy = DEFAULTS.selectBy();

    @Option(
            names = "--threshold",
            description = "Multi-label decision threshold (default: ${DEFAULT-VALUE}).")
    float threshold = DEFAULTS.threshold();

    @Option(
            names = "--ema",
            description =
                    "Keep an exponential moving average of the weights (in checkpoints as"
                            + " ema.safetensors); the final model gets the averaged weights.")
    boolean ema = DEFAULTS.training().ema();

    @Option(
            names = "--ema-decay",
            description = "Largest EMA decay, warmed up (default: ${DEFAULT-VALUE}).")
    double emaDecay = DEFAULTS.training().emaDecay();

    @Option(
            names = "--validation-fraction",
            defaultValue = "0.1",
            description = "Share of images held out, by content hash (default: ${DEFAULT-VALUE}).")
    double validationFraction;

    @Option(names = "--no-augment", description = "Train on resized images without augmentation.")
    boolean noAugment;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Mixin EngineOptions engine;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        TaggerTrainingConfig config =
                DEFAULTS.toBuilder()
                        .training(
                                DEFAULTS.training().toBuilder()
                                        .epochs(epochs)
                                        .batchSize(batchSize)
                                        .learningRate(lr)
                                        .warmupRatio(warmupRatio)
                                        .weightDecay(weightDecay)
                                        .maxGradNorm(maxGradNorm)
                                        .seed(seed)
                                        .checkpointEvery(checkpointEvery)
                                        .keepCheckpoints(keepCheckpoints)
                                        .logEvery(logEvery)
                                        .maxSteps(maxSteps)
                                        .ema(ema)
                                        .emaDecay(emaDecay)
                                        .build())
                        .singleLabel(singleLabel)
                        .init(init)
                        .imageSize(imageSize)
                        .patchSize(patchSize)
                        .hiddenSize(hiddenSize)
                        .numLayers(layers)
                        .numHeads(heads)
                        .dropout(dropout)
                        .selectBy(selectBy)
                        .threshold(threshold)
                        .build();
        engine.start();
        ImageProcessorConfig pre = config.preprocessing();
        ImageTransforms evaluation = ImageTransforms.evaluation(pre);
        ImageDataset train =
                dataset(
                        ImageDataset.Split.TRAIN,
                        noAugment ? evaluation : ImageTransforms.training(pre));
        ImageDataset validation = dataset(ImageDataset.Split.VALIDATION, evaluation);
        PrintWriter err = spec.commandLine().getErr();
        err.printf(
                Locale.ROOT,
                "%d training and %d validation images, labels %s%n",
                train.imageCount(),
                validation.imageCount(),
                train.labels());
        err.flush();
        Progress progress = new Progress(!noProgress, err);
        TaggerTrainer.Result r;
        try {
            r = new TaggerTrainer(config, train, validation, out, progress).run(resume);
        } finally {
            progress.close();
        }
        drawCurves();
        PrintWriter o = spec.commandLine().getOut();
        o.printf(
                Locale.ROOT,
                "%s after %d steps (last loss %.4f): model in %s%n",
                r.finished() ? "finished" : "stopped",
                r.steps(),
                r.lastLoss(),
                out);
        o.flush();
        return 0;
    }

    private void drawCurves() throws IOException {
        Path metrics = out.resolve("metrics.jsonl");
        if (Files.isRegularFile(metrics)) {
            TrainingCurves.write(metrics, out.resolve(CURVES));
        }
    }

    private ImageDataset dataset(ImageDataset.Split split, ImageTransforms t) throws IOException {
        return ImageDataset.builder()
                .setRoot(images)
                .setTransforms(t)
                .optSplit(split)
                .optValidationFraction(validationFraction)
                .optSeed(seed)
                .build();
    }

    /** A progress bar over all steps (loss, images/s) and one line per epoch; redraws the PNG. */
    private final class Progress implements TaggerTrainer.Listener {
        private final boolean bars;
        private final PrintWriter err;
        private ProgressBar bar;

        Progress(boolean bars, PrintWriter err) {
            this.bars = bars;
            this.err = err;
        }

        @Override
        public void started(long step, long totalSteps) {
            if (bars) {
                bar =
                        new ProgressBarBuilder()
                                .setTaskName("train")
                                .setInitialMax(totalSteps)
                                .setStyle(ProgressBarStyle.ASCII)
                                .setConsumer(
                                        new ConsoleProgressBarConsumer(
                                                new PrintStream(System.err, true)))
                                .setUpdateIntervalMillis(250)
                                .build();
                bar.stepTo(step);
            }
        }

        @Override
        public void stepDone(long step, long totalSteps, double loss, double imagesPerSecond) {
            if (bar != null) {
                bar.stepTo(step);
                bar.setExtraMessage(
                        String.format(Locale.ROOT, "loss %.4f, %.1f img/s", loss, imagesPerSecond));
            }
        }

        @Override
        public void epochDone(long epoch, double trainLoss, TaggingMetrics m) {
            String line =
                    m == null
                            ? String.format(
                                    Locale.ROOT, "epoch %d: train loss %.4f", epoch, trainLoss)
                            : String.format(
                                    Locale.ROOT,
                                    "epoch %d: train loss %.4f, validation mAP %.3f, micro-F1"
                                            + " %.3f, macro-F1 %.3f",
                                    epoch,
                                    trainLoss,
                                    m.meanAveragePrecision(),
                                    m.microF1(),
                                    m.macroF1());
            if (bar == null) {
                err.println(line);
                err.flush();
            } else {
                System.err.println();
                System.err.println(line);
            }
            try {
                drawCurves();
            } catch (IOException e) {
                err.println("note: could not draw " + CURVES + ": " + e.getMessage());
                err.flush();
            }
        }

        void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }
}
