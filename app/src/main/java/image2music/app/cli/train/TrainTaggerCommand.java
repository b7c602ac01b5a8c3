package image2music.app.cli.train;

import image2music.app.cli.EngineOptions;
import image2music.app.plot.TrainingCurves;
import image2music.models.vit.ImageProcessorConfig;
import image2music.models.vit.TaggerTrainer;
import image2music.models.vit.TaggerTrainingConfig;
import image2music.models.vit.TaggingMetrics;
import image2music.models.vit.data.ImageDataset;
import image2music.models.vit.data.ImageItem;
import image2music.models.vit.data.ImageTransforms;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code train-tagger}: trains the ViT mood tagger on a labelled image folder. */
@Command(
        name = "train-tagger",
        mixinStandardHelpOptions = true,
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

    @Option(
            names = "--warmup-ratio",
            paramLabel = "X",
            description = "Share of steps warming up (default: ${DEFAULT-VALUE}).")
    double warmupRatio = DEFAULTS.training().warmupRatio();

    @Option(
            names = "--single-label",
            description = "Softmax + cross-entropy, one label per image (default: multi-label).")
    boolean singleLabel;

    @Option(
            names = "--image-size",
            paramLabel = "PX",
            description = "From scratch: input size (default: ${DEFAULT-VALUE}).")
    int imageSize = DEFAULTS.imageSize();

    @Option(
            names = "--patch-size",
            paramLabel = "PX",
            description = "From scratch (default: ${DEFAULT-VALUE}).")
    int patchSize = DEFAULTS.patchSize();

    @Option(
            names = "--hidden-size",
            paramLabel = "N",
            description = "From scratch (default: ${DEFAULT-VALUE}).")
    int hiddenSize = DEFAULTS.hiddenSize();

    @Option(
            names = "--layers",
            paramLabel = "N",
            description = "From scratch (default: ${DEFAULT-VALUE}).")
    int layers = DEFAULTS.numLayers();

    @Option(
            names = "--heads",
            paramLabel = "N",
            description = "From scratch (default: ${DEFAULT-VALUE}).")
    int heads = DEFAULTS.numHeads();

    @Option(
            names = "--dropout",
            paramLabel = "P",
            description = "From scratch (default: ${DEFAULT-VALUE}).")
    float dropout = DEFAULTS.dropout();

    @Option(
            names = "--select-by",
            paramLabel = "METRIC",
            description = "Best-model metric: map or micro_f1 (default: ${DEFAULT-VALUE}).")
    String selectBy = DEFAULTS.selectBy();

    @Option(
            names = "--threshold",
            paramLabel = "P",
            description = "Multi-label decision threshold (default: ${DEFAULT-VALUE}).")
    float threshold = DEFAULTS.threshold();

    @Option(
            names = "--validation-fraction",
            paramLabel = "X",
            defaultValue = "0.1",
            description = "Share of images held out, by content hash (default: ${DEFAULT-VALUE}).")
    double validationFraction;

    @Option(names = "--no-augment", description = "Train on resized images without augmentation.")
    boolean noAugment;

    /** The shared training options, with the tagger's defaults. */
    static final class TaggerOptions extends TrainingOptions {
        TaggerOptions() {
            super(DEFAULTS.training());
        }
    }

    @Mixin TaggerOptions training;

    @Mixin EngineOptions engine;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        TaggerTrainingConfig config =
                DEFAULTS.toBuilder()
                        .training(training.arguments().warmupRatio(warmupRatio).build())
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
        PrintWriter err = spec.commandLine().getErr();
        training.warnAboutPrecision(err);
        List<String> skipped = new ArrayList<>();
        List<ImageItem> all = ImageDataset.scan(images, skipped::add);
        if (all.isEmpty() && !skipped.isEmpty()) {
            throw new IOException(
                    images + ": no readable images (" + skipped.get(0) + ", and so on)");
        }
        if (!skipped.isEmpty()) {
            // Reported and left out, as the importers do, rather than failing mid-training.
            err.printf(
                    Locale.ROOT,
                    "skipped %d unreadable image%s:%n",
                    skipped.size(),
                    skipped.size() == 1 ? "" : "s");
            skipped.forEach(s -> err.println("  " + s));
        }
        ImageDataset train =
                dataset(
                        all,
                        ImageDataset.Split.TRAIN,
                        noAugment ? evaluation : ImageTransforms.training(pre));
        ImageDataset validation = dataset(all, ImageDataset.Split.VALIDATION, evaluation);
        err.printf(
                Locale.ROOT,
                "%d training and %d validation images, labels %s%n",
                train.imageCount(),
                validation.imageCount(),
                train.labels());
        err.flush();
        Progress progress = new Progress(!training.noProgress, err);
        TaggerTrainer.Result r;
        try {
            r = new TaggerTrainer(config, train, validation, out, progress).run(training.resume);
        } finally {
            progress.close();
        }
        PrintWriter o = spec.commandLine().getOut();
        if (r.wasDone()) {
            o.printf(
                    Locale.ROOT,
                    "already finished at step %d: %s left as it was%n",
                    r.steps(),
                    out);
            o.flush();
            return 0;
        }
        drawCurves();
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

    private ImageDataset dataset(List<ImageItem> all, ImageDataset.Split split, ImageTransforms t)
            throws IOException {
        return ImageDataset.builder()
                .setRoot(images)
                .setItems(all)
                .setTransforms(t)
                .optSplit(split)
                .optValidationFraction(validationFraction)
                .optSeed(training.seed)
                .build();
    }

    /** A progress bar over all steps (loss, images/s) and one line per epoch; redraws the PNG. */
    private final class Progress implements TaggerTrainer.Listener {
        private final TrainingProgressBar bar;

        Progress(boolean bars, PrintWriter err) {
            this.bar = new TrainingProgressBar(bars, err);
        }

        @Override
        public void started(long step, long totalSteps) {
            bar.started(step, totalSteps);
        }

        @Override
        public void stepDone(long step, long totalSteps, double loss, double imagesPerSecond) {
            bar.step(
                    step,
                    String.format(Locale.ROOT, "loss %.4f, %.1f img/s", loss, imagesPerSecond));
        }

        @Override
        public void epochDone(long epoch, double trainLoss, TaggingMetrics m) {
            bar.line(
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
                                    m.macroF1()));
            try {
                drawCurves();
            } catch (IOException e) {
                bar.line("note: could not draw " + CURVES + ": " + e.getMessage());
            }
        }

        void close() {
            bar.close();
        }
    }
}
