package image2music.app.cli.train;

import image2music.app.cli.EngineOptions;
import image2music.app.plot.TrainingCurves;
import image2music.models.vit.ImageProcessorConfig;
import image2music.models.vit.TaggerTrainer;
import image2music.models.vit.TaggingMetrics;
import image2music.models.vit.TrainingConfig;
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

    @Option(names = "--epochs", defaultValue = "10", description = "Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "16", description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(
            names = "--lr",
            defaultValue = "3e-4",
            description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(
            names = "--warmup-ratio",
            defaultValue = "0.1",
            description = "Share of steps warming up (default: ${DEFAULT-VALUE}).")
    double warmupRatio;

    @Option(
            names = "--weight-decay",
            defaultValue = "0.01",
            description = "Default: ${DEFAULT-VALUE}.")
    double weightDecay;

    @Option(
            names = "--max-grad-norm",
            defaultValue = "1.0",
            description = "Global-norm clipping (default: ${DEFAULT-VALUE}).")
    double maxGradNorm;

    @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

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
            defaultValue = "224",
            description = "From scratch: input size (default: ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(
            names = "--patch-size",
            defaultValue = "16",
            description = "From scratch (default: ${DEFAULT-VALUE}).")
    int patchSize;

    @Option(
            names = "--hidden-size",
            defaultValue = "192",
            description = "From scratch (default: ${DEFAULT-VALUE}).")
    int hiddenSize;

    @Option(
            names = "--layers",
            defaultValue = "6",
            description = "From scratch (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(
            names = "--heads",
            defaultValue = "3",
            description = "From scratch (default: ${DEFAULT-VALUE}).")
    int heads;

    @Option(
            names = "--dropout",
            defaultValue = "0",
            description = "From scratch (default: ${DEFAULT-VALUE}).")
    float dropout;

    @Option(
            names = "--checkpoint-every",
            defaultValue = "500",
            description =
                    "Steps between checkpoints; 0: epoch ends only (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(
            names = "--keep-checkpoints",
            defaultValue = "3",
            description = "Default: ${DEFAULT-VALUE}.")
    int keepCheckpoints;

    @Option(
            names = "--log-every",
            defaultValue = "10",
            description = "Steps between metrics.jsonl lines (default: ${DEFAULT-VALUE}).")
    int logEvery;

    @Option(
            names = "--max-steps",
            defaultValue = "0",
            description =
                    "Stop after this many steps in all; 0: no limit (default: ${DEFAULT-VALUE}).")
    long maxSteps;

    @Option(
            names = "--select-by",
            defaultValue = "map",
            description = "Best-model metric: map or micro_f1 (default: ${DEFAULT-VALUE}).")
    String selectBy;

    @Option(
            names = "--threshold",
            defaultValue = "0.5",
            description = "Multi-label decision threshold (default: ${DEFAULT-VALUE}).")
    float threshold;

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
        TrainingConfig config =
                new TrainingConfig(
                        epochs,
                        batchSize,
                        lr,
                        warmupRatio,
                        weightDecay,
                        maxGradNorm,
                        seed,
                        singleLabel,
                        init,
                        imageSize,
                        patchSize,
                        hiddenSize,
                        layers,
                        heads,
                        dropout,
                        checkpointEvery,
                        keepCheckpoints,
                        logEvery,
                        maxSteps,
                        selectBy,
                        threshold);
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
