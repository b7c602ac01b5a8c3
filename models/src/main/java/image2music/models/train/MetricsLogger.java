package image2music.models.train;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Writes {@link MetricsLog}: a step line every {@code logEvery} steps and an epoch line after each
 * epoch; a fresh run starts a new log and a resumed one drops the lines after its checkpoint.
 */
public final class MetricsLogger<M> implements TrainingListener<M> {

    private final MetricsLog log;
    private final int logEvery;
    private final String throughputKey;
    private final Function<M, JsonObject> validationJson;

    /**
     * @param throughputKey the step lines' throughput key (e.g. {@code images_per_s})
     * @param validationJson a validation as JSON
     */
    public MetricsLogger(
            Path out, int logEvery, String throughputKey, Function<M, JsonObject> validationJson) {
        this.log = new MetricsLog(out);
        this.logEvery = logEvery;
        this.throughputKey = throughputKey;
        this.validationJson = validationJson;
    }

    @Override
    public void started(TrainerState state, long totalSteps, boolean resumed) throws IOException {
        if (resumed) {
            log.truncateAfter(state.step());
        } else {
            log.delete();
        }
    }

    @Override
    public void stepDone(TrainerState state, long totalSteps, StepInfo step) throws IOException {
        if (state.step() % logEvery == 0) {
            JsonObject line = line("step", state);
            line.addProperty("loss", step.loss());
            line.addProperty("lr", step.lr());
            line.addProperty("grad_norm", Double.isNaN(step.gradNorm()) ? null : step.gradNorm());
            line.addProperty(throughputKey, step.throughput());
            line.addProperty("steps_per_s", 1 / step.seconds());
            log.append(line);
        }
    }

    @Override
    public void validated(TrainerState state, M validation) throws IOException {
        JsonObject line = line("validation", state);
        line.add("validation", validationJson.apply(validation));
        log.append(line);
    }

    @Override
    public void epochDone(TrainerState state, double trainLoss, M validation) throws IOException {
        JsonObject line = line("epoch", state);
        line.addProperty("train_loss", Double.isNaN(trainLoss) ? null : trainLoss);
        if (validation != null) {
            line.add("validation", validationJson.apply(validation));
        }
        log.append(line);
    }

    private static JsonObject line(String type, TrainerState state) {
        JsonObject o = new JsonObject();
        o.addProperty("type", type);
        o.addProperty("step", state.step());
        o.addProperty("epoch", state.epoch());
        return o;
    }
}
