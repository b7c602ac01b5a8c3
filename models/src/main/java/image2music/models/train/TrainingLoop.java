package image2music.models.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.google.gson.JsonObject;
import image2music.models.nn.Autocast;
import image2music.models.nn.Engines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The one training loop, in the shape of DJL's {@code EasyTrain}: epochs over a {@link
 * TrainingTask}'s data order, one {@link TrainingStep} per batch, validation and a checkpoint at
 * each epoch end (and every {@code checkpointEvery} steps), {@code best/} by the task's score, the
 * final model in the output folder; listeners hear about each step and epoch.
 *
 * <p>Determinism: the data order comes from (run seed, epoch) and each step's libtorch seed from
 * (run seed, step), and a checkpoint holds the parameters, the optimiser's moments, the EMA shadow
 * and the data position, so a resumed run takes the same steps as one that was never stopped
 * (bit-exact on CPU). Each step runs in its own sub-manager so nothing derived from the parameters
 * outlives it.
 *
 * @param <M> the task's validation result
 */
public final class TrainingLoop<M> {

    /**
     * How a run ended: steps done, whether all epochs ran, the last step loss and validation, and
     * whether a resumed run had nothing left to do (then nothing was written: the folder is left as
     * it was).
     */
    public record Result<M>(
            long steps, boolean finished, double lastLoss, M lastValidation, boolean wasDone) {}

    private final TrainingArguments args;
    private final TrainingTask<M> task;
    private final Path out;
    private final List<TrainingListener<M>> listeners;

    /** A loop training {@code task} into {@code out}; {@code listeners} are called in order. */
    public TrainingLoop(
            TrainingArguments args,
            TrainingTask<M> task,
            Path out,
            List<TrainingListener<M>> listeners) {
        this.args = args;
        this.task = task;
        this.out = out;
        this.listeners = List.copyOf(listeners);
    }

    /** Steps per epoch: every example once, the last batch possibly smaller. */
    public long stepsPerEpoch() {
        return (task.exampleCount() + args.examplesPerStep() - 1) / args.examplesPerStep();
    }

    /**
     * Trains into the output folder; with {@code resume}, continues from its newest checkpoint.
     *
     * @throws IOException when a file cannot be read or written, or {@code resume} finds no
     *     checkpoint
     * @throws IllegalArgumentException when the folder holds checkpoints but {@code resume} is off,
     *     or the checkpoint was written by another run
     */
    public Result<M> run(boolean resume) throws IOException {
        Files.createDirectories(out);
        Checkpoints checkpoints = new Checkpoints(out, args.keepCheckpoints());
        Engine engine = Engines.engine();
        long total = args.epochs() * stepsPerEpoch();
        LrSchedule schedule = args.schedule(total);
        JsonObject provenance = task.provenance();
        try (NDManager root = Engines.newManager()) {
            AdamW optimizer =
                    new AdamW(
                            new AdamW.Settings(0.9f, 0.999f, 1e-8f, (float) args.weightDecay()),
                            root);
            ExponentialMovingAverage ema =
                    args.ema()
                            ? new ExponentialMovingAverage(
                                    args.emaDecay(),
                                    args.emaWarmup()
                                            ? ExponentialMovingAverage.Warmup.STEP_RATIO
                                            : ExponentialMovingAverage.Warmup.NONE,
                                    root)
                            : null;
            TrainerState state;
            Optional<Path> latest = checkpoints.latest();
            if (resume) {
                Path cp =
                        latest.orElseThrow(
                                () ->
                                        new IOException(
                                                out + ": no checkpoint-<step> folder to resume"));
                task.load(cp, root);
                RunIdentity.check(cp, provenance);
                state = Checkpoints.readState(cp);
                loadTensors(cp, Checkpoints.OPTIMIZER, root, optimizer::load);
                if (ema != null) {
                    loadTensors(cp, Checkpoints.EMA, root, ema::load);
                }
            } else {
                if (latest.isPresent()) {
                    throw new IllegalArgumentException(
                            out
                                    + " already holds "
                                    + latest.get().getFileName()
                                    + ": pass --resume to continue, or use another folder");
                }
                engine.setRandomSeed(Seeds.mixInt(args.seed(), -1));
                task.initialize(root);
                state = TrainerState.start(args.seed());
            }
            boolean wasDone =
                    resume
                            && (state.epoch() >= args.epochs()
                                    || (args.maxSteps() > 0 && state.step() >= args.maxSteps()));
            if (wasDone) {
                // Nothing left to train: the folder is left exactly as it is.
                return new Result<>(
                        state.step(), state.epoch() >= args.epochs(), Double.NaN, null, true);
            }
            Map<String, Parameter> params = task.parameters();
            if (ema != null && !resume) {
                ema.initialize(params);
            }
            for (TrainingListener<M> l : listeners) {
                l.started(state, total, resume);
            }
            Saver saver = new Saver(checkpoints, optimizer, ema, schedule, provenance);
            long lastSaved = resume ? state.step() : -1;
            double lastLoss = Double.NaN;
            M lastValidation = null;
            int n = task.exampleCount();
            while (state.epoch() < args.epochs()) {
                int[] order = task.order(state.seed(), state.epoch());
                while (state.position() < n) {
                    if (args.maxSteps() > 0 && state.step() >= args.maxSteps()) {
                        if (lastSaved != state.step()) {
                            saver.checkpoint(state);
                        }
                        saver.finalModel(params);
                        return new Result<>(state.step(), false, lastLoss, lastValidation, wasDone);
                    }
                    int end = Math.min(state.position() + args.examplesPerStep(), n);
                    long t0 = System.nanoTime();
                    double lr = schedule.at(state.step());
                    TrainingStep.Result r = step(params, optimizer, lr, state, order, end, root);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    int examples = end - state.position();
                    lastLoss = r.loss();
                    state = state.afterStep(end, lastLoss);
                    if (args.mixedPrecision() == MixedPrecision.FP16) {
                        state = state.withLossScale(state.lossScale().after(!r.skipped()));
                    }
                    if (ema != null) {
                        ema.update(params, state.step());
                    }
                    var info =
                            new TrainingListener.StepInfo(
                                    lastLoss, lr, r.gradNorm(), examples, seconds);
                    for (TrainingListener<M> l : listeners) {
                        l.stepDone(state, total, info);
                    }
                    if (args.validateEvery() > 0 && state.step() % args.validateEvery() == 0) {
                        lastValidation = validate(params, ema, root, state);
                    }
                    if (args.checkpointEvery() > 0
                            && state.step() % args.checkpointEvery() == 0
                            && end < n) {
                        saver.checkpoint(state);
                        lastSaved = state.step();
                    }
                }
                M epochValidation =
                        args.validateEvery() > 0 ? null : validate(params, ema, root, state);
                if (epochValidation != null) {
                    lastValidation = epochValidation;
                }
                double trainLoss = state.epochLoss();
                double score = epochValidation == null ? Double.NaN : task.score(epochValidation);
                // Ties go to the later checkpoint: same score, more training.
                boolean better =
                        !Double.isNaN(score)
                                && (Double.isNaN(state.bestScore()) || score >= state.bestScore());
                state = state.nextEpoch(better ? score : Double.NaN);
                for (TrainingListener<M> l : listeners) {
                    l.epochDone(state, trainLoss, epochValidation);
                }
                Path cp = saver.checkpoint(state);
                lastSaved = state.step();
                if (better) {
                    checkpoints.copyBest(cp);
                }
            }
            if (args.validateEvery() > 0 && state.step() % args.validateEvery() != 0) {
                // The finished model is always validated once.
                lastValidation = validate(params, ema, root, state);
            }
            saver.finalModel(params);
            return new Result<>(state.step(), true, lastLoss, lastValidation, wasDone);
        }
    }

    /** One optimiser step on examples {@code order[state.position() .. end)}. */
    private TrainingStep.Result step(
            Map<String, Parameter> params,
            AdamW optimizer,
            double lr,
            TrainerState state,
            int[] order,
            int end,
            NDManager root)
            throws IOException {
        try (NDManager m = root.newSubManager()) {
            Engines.engine().setRandomSeed(Seeds.mixInt(state.seed(), state.step()));
            List<TrainingStep.Loss> micro = new ArrayList<>();
            for (int from = state.position(); from < end; from += args.batchSize()) {
                int[] indices =
                        Arrays.copyOfRange(order, from, Math.min(from + args.batchSize(), end));
                micro.add(
                        (step, tape) -> {
                            try (Autocast precision =
                                    Autocast.enable(args.mixedPrecision().computeType())) {
                                return task.loss(indices, state.epoch(), step, tape);
                            }
                        });
            }
            return TrainingStep.run(
                    params,
                    optimizer,
                    (float) lr,
                    args.maxGradNorm(),
                    m,
                    micro,
                    args.mixedPrecision() == MixedPrecision.FP16 ? state.lossScale().scale() : 1);
        }
    }

    /**
     * The task's validation, with the EMA weights in place when the task asks for them (the
     * training weights are put back after). Listeners hear of a step-based one ({@code
     * validate_every}); an epoch end's comes with {@link TrainingListener#epochDone}.
     */
    private M validate(
            Map<String, Parameter> params,
            ExponentialMovingAverage ema,
            NDManager root,
            TrainerState state)
            throws IOException {
        M v;
        if (ema != null && task.validatesWithEma()) {
            try (NDManager keep = root.newSubManager()) {
                Map<String, NDArray> training = new LinkedHashMap<>();
                params.forEach((k, p) -> training.put(k, p.getArray().duplicate()));
                training.values().forEach(a -> a.attach(keep));
                ema.copyTo(params);
                try {
                    v = task.validate(root, state.step());
                } finally {
                    params.forEach((k, p) -> p.getArray().set(training.get(k).toByteBuffer()));
                }
            }
        } else {
            v = task.validate(root, state.step());
        }
        if (v != null && args.validateEvery() > 0) {
            for (TrainingListener<M> l : listeners) {
                l.validated(state, v);
            }
        }
        return v;
    }

    /** Reads a state file of {@code checkpoint} and hands its tensors to {@code into}. */
    private static void loadTensors(
            Path checkpoint, String file, NDManager root, Consumer<Map<String, NDArray>> into)
            throws IOException {
        try (NDManager scratch = root.newSubManager()) {
            into.accept(Checkpoints.readTensors(checkpoint, file, scratch));
        }
    }

    /** Writes checkpoints and the final model with everything a resumed run needs. */
    private final class Saver {
        private final Checkpoints checkpoints;
        private final AdamW optimizer;
        private final ExponentialMovingAverage ema;
        private final LrSchedule schedule;
        private final JsonObject provenance;

        Saver(
                Checkpoints checkpoints,
                AdamW optimizer,
                ExponentialMovingAverage ema,
                LrSchedule schedule,
                JsonObject provenance) {
            this.checkpoints = checkpoints;
            this.optimizer = optimizer;
            this.ema = ema;
            this.schedule = schedule;
            this.provenance = provenance;
        }

        Path checkpoint(TrainerState state) throws IOException {
            Map<String, NDArray> moments = optimizer.state();
            try {
                Map<String, Map<String, NDArray>> tensors = new LinkedHashMap<>();
                tensors.put(Checkpoints.OPTIMIZER, moments);
                if (ema != null) {
                    tensors.put(Checkpoints.EMA, ema.state());
                }
                Path cp =
                        checkpoints.save(
                                state,
                                scheduleJson(schedule),
                                provenance,
                                task::saveCheckpoint,
                                tensors);
                for (TrainingListener<M> l : listeners) {
                    l.checkpointSaved(cp, state);
                }
                return cp;
            } finally {
                // state() makes a fresh step scalar each time; the moments are the optimiser's.
                moments.get("step").close();
            }
        }

        /** The final model; with EMA, the averaged weights (as diffusers saves them). */
        void finalModel(Map<String, Parameter> params) throws IOException {
            if (ema != null) {
                ema.copyTo(params);
            }
            checkpoints.saveFinal(task::saveModel, provenance);
        }
    }

    private static JsonObject scheduleJson(LrSchedule s) {
        JsonObject o = new JsonObject();
        o.addProperty("type", s.decay().name().toLowerCase(Locale.ROOT));
        o.addProperty("peak", s.peak());
        o.addProperty("warmup_steps", s.warmupSteps());
        o.addProperty("total_steps", s.totalSteps());
        return o;
    }
}
