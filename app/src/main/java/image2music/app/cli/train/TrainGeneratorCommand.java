package image2music.app.cli.train;

import ai.djl.engine.EngineException;
import image2music.app.cli.EngineOptions;
import image2music.models.diffusion.training.GeneratorPreset;
import image2music.models.diffusion.training.GeneratorTrainer;
import image2music.models.diffusion.training.GeneratorTrainingConfig;
import image2music.models.diffusion.training.SpectrogramImageFolder;
import image2music.models.train.LrSchedule;
import image2music.models.train.TrainingArguments;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code train-generator}: fine-tunes a spectrogram generator on a captioned dataset. */
@Command(
        name = "train-generator",
        mixinStandardHelpOptions = true,
        description = {
            "Fine-tunes a Stable-Diffusion-1.x pipeline (--init) on build-dataset's captioned"
                    + " spectrograms (--data): the whole UNet, or LoRA adapters on its attention"
                    + " projections (--lora-rank), with the VAE and text encoder frozen; or trains"
                    + " a small pixel-space generator from scratch (--preset tiny|small).",
            "Writes checkpoint-<step>/ folders, metrics.jsonl and validation/step-N/ samples"
                    + " (PNG + WAV per prompt) into --out, and finally a diffusers pipeline folder"
                    + " (or pytorch_lora_weights.safetensors for LoRA, applied with"
                    + " text-to-audio --lora); --resume continues from the newest checkpoint"
                    + " exactly."
        })
public final class TrainGeneratorCommand implements Callable<Integer> {

    /** The option defaults: the fields below start from these (one copy of the numbers). */
    private static final TrainingArguments DEFAULTS = GeneratorTrainingConfig.defaultArguments();

    /** diffusers' --lr_scheduler names. */
    enum Scheduler {
        constant,
        constant_with_warmup,
        cosine,
        linear
    }

    @Option(
            names = "--data",
            required = true,
            paramLabel = "DIR",
            description =
                    "Training set (build-dataset's output): *.png + metadata.csv, or Parquet as"
                            + " HuggingFace datasets and build-dataset --format parquet write it:"
                            + " a folder with data/train-*.parquet (and no metadata.csv), or one"
                            + " .parquet file; rows of image {bytes, path} and text.")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    /** Exactly one starting point. */
    static final class Start {
        @Option(
                names = "--init",
                required = true,
                paramLabel = "PIPELINE_DIR",
                description = "The diffusers SD-1.x pipeline folder to fine-tune.")
        Path init;

        @Option(
                names = "--preset",
                required = true,
                paramLabel = "NAME",
                description =
                        "Train from scratch: tiny (minutes on a CPU) or small; pixel-space, for"
                                + " a dataset built with few mel bins (build-dataset --mel-bins 64).")
        String preset;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Start start;

    @Option(
            names = "--lora-rank",
            paramLabel = "R",
            description = "Train rank-R LoRA adapters instead of the whole UNet.")
    int loraRank;

    @Option(
            names = "--lora-alpha",
            paramLabel = "A",
            description = "LoRA alpha; the update is scaled by A/R (default: R).")
    Float loraAlpha;

    @Option(
            names = "--train-text-encoder",
            description =
                    "Train the text encoder with the UNet (with --lora-rank: LoRA adapters on its"
                            + " attention projections) instead of keeping it frozen.")
    boolean trainTextEncoder;

    @Option(
            names = "--gradient-checkpointing",
            description =
                    "Keep only the UNet's states between its resnets and attentions and recompute"
                            + " the rest in the backward pass: less memory for more time, the"
                            + " same result (a run may be resumed with or without it).")
    boolean gradientCheckpointing;

    @Option(
            names = "--width",
            paramLabel = "PX",
            description =
                    "Training window along time, in pixels (default: "
                            + GeneratorTrainingConfig.DEFAULT_WIDTH
                            + " with --init, "
                            + GeneratorTrainingConfig.DEFAULT_PRESET_WIDTH
                            + " with --preset).")
    Integer width;

    @Option(names = "--center-crop", description = "Centre windows instead of random ones.")
    boolean centreCrop;

    @Option(
            names = "--caption-dropout",
            paramLabel = "P",
            description =
                    "Share of samples trained on the empty caption, for classifier-free guidance"
                            + " (default: ${DEFAULT-VALUE}).")
    double captionDropout = GeneratorTrainingConfig.DEFAULT_CAPTION_DROPOUT;

    @Option(
            names = "--prediction-type",
            paramLabel = "TYPE",
            description =
                    "epsilon or v_prediction; written to the saved scheduler config (default: the"
                            + " --init scheduler's).")
    String predictionType;

    @Option(
            names = "--snr-gamma",
            paramLabel = "G",
            description =
                    "Min-SNR-γ loss weighting, e.g. 5, for fine-tuning (default: off). With"
                            + " v_prediction it all but drops the noisiest timesteps, which a"
                            + " --preset model needs to learn.")
    double snrGamma;

    @Option(
            names = "--noise-offset",
            paramLabel = "X",
            description = "Per-channel noise offset, e.g. 0.05 (default: off).")
    double noiseOffset;

    @Option(
            names = "--lr-scheduler",
            paramLabel = "NAME",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Scheduler lrScheduler = Scheduler.constant;

    @Option(
            names = "--warmup-steps",
            paramLabel = "N",
            description = "Linear warm-up steps (default: ${DEFAULT-VALUE}).")
    long warmupSteps;

    @Option(
            names = "--validate-every",
            paramLabel = "N",
            description =
                    "Steps between validation samples; the finished model is always sampled"
                            + " (default: ${DEFAULT-VALUE}).")
    int validateEvery = DEFAULTS.validateEvery();

    @Option(
            names = "--validation-prompt",
            paramLabel = "TEXT",
            description =
                    "Drawn every --validate-every steps and at the end, with fixed seeds"
                            + " (repeatable; default: every caption of the data).")
    List<String> validationPrompts = new ArrayList<>();

    @Option(names = "--no-validation", description = "Draw no validation samples.")
    boolean noValidation;

    @Option(
            names = "--validation-steps",
            paramLabel = "N",
            description = "Denoising steps of a sample (default: ${DEFAULT-VALUE}).")
    int validationSteps = GeneratorTrainingConfig.DEFAULT_VALIDATION_STEPS;

    @Option(
            names = "--validation-guidance",
            paramLabel = "SCALE",
            description = "Guidance of a sample (default: ${DEFAULT-VALUE}).")
    double validationGuidance = GeneratorTrainingConfig.DEFAULT_VALIDATION_GUIDANCE;

    /** The shared training options, with a generator's defaults. */
    static final class GeneratorOptions extends TrainingOptions {
        GeneratorOptions() {
            super(DEFAULTS);
        }
    }

    @Mixin GeneratorOptions training;

    @Mixin EngineOptions engine;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    private static IllegalStateException outOfMemory(Throwable cause) {
        return new IllegalStateException(
                "out of memory: lower --batch-size or --width, or use --lora-rank or"
                        + " --gradient-checkpointing",
                cause);
    }

    @Override
    public Integer call() throws IOException {
        SpectrogramImageFolder folder = SpectrogramImageFolder.open(data);
        long perStep =
                (long) Math.max(1, training.batchSize) * Math.max(1, training.gradientAccumulation);
        long stepsPerEpoch = (folder.size() + perStep - 1) / perStep;
        long total = Math.max(1, (long) training.epochs * stepsPerEpoch);
        if (warmupSteps < 0 || warmupSteps > total) {
            throw new IllegalArgumentException(
                    "--warmup-steps " + warmupSteps + " is outside [0, " + total + "] steps");
        }
        if (lrScheduler == Scheduler.constant && warmupSteps > 0) {
            throw new IllegalArgumentException(
                    "--lr-scheduler constant has no warm-up: use constant_with_warmup");
        }
        TrainingArguments args =
                training.arguments()
                        .validateEvery(validateEvery)
                        .lrSchedule(
                                switch (lrScheduler) {
                                    case constant, constant_with_warmup ->
                                            LrSchedule.Decay.CONSTANT;
                                    case cosine -> LrSchedule.Decay.COSINE;
                                    case linear -> LrSchedule.Decay.LINEAR;
                                })
                        .warmupRatio((double) warmupSteps / total)
                        .build();
        List<String> prompts =
                noValidation
                        ? List.of()
                        : validationPrompts.isEmpty()
                                ? List.copyOf(folder.captions())
                                : validationPrompts;
        GeneratorTrainingConfig config =
                new GeneratorTrainingConfig(
                        args,
                        start.init,
                        start.preset == null ? null : GeneratorPreset.forName(start.preset),
                        loraRank,
                        loraAlpha == null ? loraRank : loraAlpha,
                        trainTextEncoder,
                        snrGamma,
                        noiseOffset,
                        predictionType,
                        width != null
                                ? width
                                : start.preset != null
                                        ? GeneratorTrainingConfig.DEFAULT_PRESET_WIDTH
                                        : GeneratorTrainingConfig.DEFAULT_WIDTH,
                        centreCrop,
                        captionDropout,
                        prompts,
                        validationSteps,
                        validationGuidance);
        engine.start();
        PrintWriter err = spec.commandLine().getErr();
        training.warnAboutPrecision(err);
        err.printf(
                Locale.ROOT,
                "%d images, %d captions; %s%n",
                folder.size(),
                folder.captions().size(),
                loraRank > 0 ? "LoRA rank " + loraRank : "whole UNet");
        err.flush();
        Progress progress = new Progress(!training.noProgress, err);
        GeneratorTrainer.Result r;
        try {
            r =
                    new GeneratorTrainer(config, folder, out, progress)
                            .withGradientCheckpointing(gradientCheckpointing)
                            .run(training.resume);
        } catch (OutOfMemoryError e) {
            throw outOfMemory(e);
        } catch (EngineException e) {
            // libtorch's allocators fail with their own message, not a Java error.
            String m = String.valueOf(e.getMessage());
            if (m.contains("can't allocate memory") || m.contains("out of memory")) {
                throw outOfMemory(e);
            }
            throw e;
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
        } else {
            o.printf(
                    Locale.ROOT,
                    "%s after %d steps (last loss %.4f): model in %s%n",
                    r.finished() ? "finished" : "stopped",
                    r.steps(),
                    r.lastLoss(),
                    out);
        }
        o.flush();
        return 0;
    }

    /** A progress bar over all steps with loss, steps/s and ETA; a line per validation. */
    private static final class Progress implements GeneratorTrainer.Listener {
        private final TrainingProgressBar bar;

        Progress(boolean bars, PrintWriter err) {
            this.bar = new TrainingProgressBar(bars, err);
        }

        @Override
        public void started(long step, long totalSteps) {
            bar.started(step, totalSteps);
        }

        @Override
        public void stepDone(long step, long totalSteps, double loss, double stepsPerSecond) {
            bar.step(
                    step,
                    String.format(Locale.ROOT, "loss %.4f, %.2f steps/s", loss, stepsPerSecond));
        }

        @Override
        public void validated(List<Path> files) {
            bar.line("validation samples: " + files);
        }

        void close() {
            bar.close();
        }
    }
}
