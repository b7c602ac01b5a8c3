package image2music.models.diffusion.training;

import image2music.models.train.MetricsLogger;
import image2music.models.train.TrainerState;
import image2music.models.train.TrainingListener;
import image2music.models.train.TrainingLoop;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Trains a spectrogram generator ({@link GeneratorTask}) on the shared {@link TrainingLoop}: the
 * use case behind {@code train-generator}. The output folder ends as a diffusers pipeline folder
 * (whole-UNet runs) or a {@code pytorch_lora_weights.safetensors} (LoRA runs), beside {@code
 * checkpoint-<step>/} folders, {@code metrics.jsonl} (loss, lr, grad_norm, samples_per_s,
 * steps_per_s) and {@code validation/step-N/} samples.
 */
public final class GeneratorTrainer {

    /** Hears about progress (a progress bar); all methods optional. */
    public interface Listener {
        /** Training (re)starts at {@code step} of {@code totalSteps}. */
        default void started(long step, long totalSteps) {}

        /** One optimiser step is done. */
        default void stepDone(long step, long totalSteps, double loss, double stepsPerSecond) {}

        /** Validation samples of an epoch are written. */
        default void validated(List<Path> files) {}
    }

    /**
     * How a run ended.
     *
     * @param wasDone a resumed run found nothing left to do
     */
    public record Result(long steps, boolean finished, double lastLoss, boolean wasDone) {}

    private final GeneratorTrainingConfig config;
    private final SpectrogramImageFolder data;
    private final Path out;
    private final Listener listener;
    private final boolean gradientCheckpointing;

    public GeneratorTrainer(
            GeneratorTrainingConfig config,
            SpectrogramImageFolder data,
            Path out,
            Listener listener) {
        this(config, data, out, listener, false);
    }

    private GeneratorTrainer(
            GeneratorTrainingConfig config,
            SpectrogramImageFolder data,
            Path out,
            Listener listener,
            boolean gradientCheckpointing) {
        this.config = config;
        this.data = data;
        this.out = out;
        this.listener = listener == null ? new Listener() {} : listener;
        this.gradientCheckpointing = gradientCheckpointing;
    }

    /**
     * This trainer with gradient checkpointing on or off (diffusers' {@code
     * --gradient_checkpointing}): memory for time, with the same result, so a run may be resumed
     * either way.
     */
    public GeneratorTrainer withGradientCheckpointing(boolean on) {
        return new GeneratorTrainer(config, data, out, listener, on);
    }

    /** Steps per epoch: every image once, the last batch possibly smaller. */
    public long stepsPerEpoch() {
        return loop(List.of()).stepsPerEpoch();
    }

    /**
     * Trains into the output folder; with {@code resume}, continues from its newest checkpoint.
     *
     * @throws IOException when a file cannot be read or written, or {@code resume} finds no
     *     checkpoint
     * @throws IllegalArgumentException when the model and data do not fit, or the folder holds
     *     another run
     */
    public Result run(boolean resume) throws IOException {
        TrainingLoop.Result<List<Path>> r =
                loop(List.of(
                                new MetricsLogger<>(
                                        out,
                                        config.train().logEvery(),
                                        "samples_per_s",
                                        GeneratorTask::samplesJson),
                                new Progress()))
                        .run(resume);
        return new Result(r.steps(), r.finished(), r.lastLoss(), r.wasDone());
    }

    private TrainingLoop<List<Path>> loop(List<TrainingListener<List<Path>>> listeners) {
        return new TrainingLoop<>(
                config.train(),
                new GeneratorTask(config, data, out, gradientCheckpointing),
                out,
                listeners);
    }

    /** Forwards the loop's events to the listener. */
    private final class Progress implements TrainingListener<List<Path>> {
        @Override
        public void started(TrainerState state, long totalSteps, boolean resumed) {
            listener.started(state.step(), totalSteps);
        }

        @Override
        public void stepDone(TrainerState state, long totalSteps, StepInfo step) {
            listener.stepDone(state.step(), totalSteps, step.loss(), 1 / step.seconds());
        }

        @Override
        public void validated(TrainerState state, List<Path> validation) {
            listener.validated(validation);
        }

        @Override
        public void epochDone(TrainerState state, double trainLoss, List<Path> validation) {
            if (validation != null) {
                listener.validated(validation);
            }
        }
    }
}
