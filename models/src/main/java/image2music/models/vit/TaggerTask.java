package image2music.models.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import image2music.core.io.AtomicFiles;
import image2music.models.nn.GradientCheckpoints;
import image2music.models.nn.StateDict;
import image2music.models.nn.Tensors;
import image2music.models.train.TaggingDataset;
import image2music.models.train.TrainingTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The tagger as a {@link TrainingTask}: a {@link ViTForImageClassification} (from scratch, from a
 * HF folder with a new head, or from a checkpoint), batches of labelled images, BCE or
 * cross-entropy, tagging metrics on the validation images, HF model folders with the init folder's
 * preprocessor config.
 */
final class TaggerTask implements TrainingTask<TaggingMetrics> {

    private final TaggerTrainingConfig config;
    private final TaggingDataset train;
    private final TaggingDataset validation;
    private ViTForImageClassification model;
    private Map<String, Parameter> params;

    /**
     * @param validation held-out images with the same labels, or null for none
     */
    TaggerTask(TaggerTrainingConfig config, TaggingDataset train, TaggingDataset validation) {
        this.config = config;
        this.train = train;
        this.validation = validation;
    }

    @Override
    public int exampleCount() {
        return train.imageCount();
    }

    @Override
    public void initialize(NDManager root) throws IOException {
        if (config.init() != null) {
            model =
                    ViTCheckpoints.loadWithNewHead(
                            config.init(), train.labels(), config.problemType(), root);
        } else {
            model = new ViTForImageClassification(config.scratchModel(train.labels()));
            StateDict.initialize(model, root, DataType.FLOAT32);
        }
        checkImageSize();
    }

    @Override
    public void load(Path checkpoint, NDManager root) throws IOException {
        model = ViTCheckpoints.load(checkpoint, root);
        if (!model.config().labels().equals(train.labels())) {
            throw new IllegalArgumentException(
                    checkpoint
                            + ": checkpoint labels "
                            + model.config().labels()
                            + " differ from the dataset's "
                            + train.labels());
        }
        checkImageSize();
    }

    private void checkImageSize() throws IOException {
        int preprocessed = config.preprocessing().height();
        if (model.config().imageSize() != preprocessed) {
            throw new IllegalArgumentException(
                    "The model takes "
                            + model.config().imageSize()
                            + " px images but preprocessing gives "
                            + preprocessed);
        }
    }

    @Override
    public Map<String, Parameter> parameters() {
        if (params == null) {
            params = StateDict.parameters(model);
        }
        return params;
    }

    @Override
    public NDArray loss(int[] indices, long epoch, NDManager step, GradientCheckpoints checkpoints)
            throws IOException {
        Batch batch = batch(train, indices, epoch, step);
        NDArray logits =
                model.run(new ParameterStore(step, false), batch.pixels(), true, false, false)
                        .logits();
        return model.loss(logits, batch.targets());
    }

    @Override
    public TaggingMetrics validate(NDManager root, long step) throws IOException {
        if (validation == null) {
            return null;
        }
        int size = validation.imageCount();
        int n = validation.labels().size();
        float[][] probs = new float[size][];
        float[][] targets = new float[size][];
        for (int start = 0; start < size; start += config.training().batchSize()) {
            int end = Math.min(start + config.training().batchSize(), size);
            int[] indices = new int[end - start];
            for (int i = 0; i < indices.length; i++) {
                indices[i] = start + i;
            }
            try (NDManager m = root.newSubManager()) {
                Batch batch = batch(validation, indices, 0, m);
                NDArray logits =
                        model.run(new ParameterStore(m, false), batch.pixels(), false, false, false)
                                .logits();
                float[] p =
                        (config.singleLabel()
                                        ? logits.softmax(-1)
                                        : logits.getNDArrayInternal().sigmoid())
                                .toFloatArray();
                for (int i = 0; i < indices.length; i++) {
                    probs[start + i] = Arrays.copyOfRange(p, i * n, (i + 1) * n);
                    targets[start + i] = Arrays.copyOfRange(batch.multiHot(), i * n, (i + 1) * n);
                }
            }
        }
        return TaggingMetrics.compute(
                validation.labels(), probs, targets, config.singleLabel(), config.threshold());
    }

    @Override
    public double score(TaggingMetrics metrics) {
        return metrics.score(config.selectBy());
    }

    @Override
    public JsonObject toJson(TaggingMetrics metrics) {
        return metrics.toJson();
    }

    /** A HF ViT folder, with the init folder's preprocessor_config.json when it has one. */
    @Override
    public void saveModel(Path dir) throws IOException {
        ViTCheckpoints.save(model, dir);
        Path preprocessor =
                config.init() == null ? null : config.init().resolve(ImageProcessorConfig.FILE);
        if (preprocessor != null && Files.isRegularFile(preprocessor)) {
            AtomicFiles.write(
                    dir.resolve(ImageProcessorConfig.FILE), Files.readAllBytes(preprocessor));
        }
    }

    @Override
    public JsonObject provenance() {
        JsonObject o = new JsonObject();
        o.add("config", config.toJson());
        o.addProperty("seed", config.training().seed());
        JsonObject data = new JsonObject();
        data.addProperty("train_fingerprint", train.fingerprint());
        data.addProperty("train_images", train.imageCount());
        if (validation != null) {
            data.addProperty("validation_fingerprint", validation.fingerprint());
            data.addProperty("validation_images", validation.imageCount());
        }
        JsonArray labels = new JsonArray();
        train.labels().forEach(labels::add);
        data.add("labels", labels);
        o.add("data", data);
        o.addProperty("code_version", "image2music 0.1.0");
        return o;
    }

    /**
     * Pixels [B, 3, H, W], targets ([B, n] floats, or [B] class ids for single-label) and the
     * multi-hot targets as Java floats.
     */
    private Batch batch(TaggingDataset data, int[] indices, long epoch, NDManager m)
            throws IOException {
        int n = data.labels().size();
        float[] pixels = null;
        float[] multiHot = new float[indices.length * n];
        long[] classes = new long[indices.length];
        int per = -1;
        for (int i = 0; i < indices.length; i++) {
            TaggingDataset.Example ex = data.example(indices[i], epoch);
            if (pixels == null) {
                per = ex.pixels().length;
                pixels = new float[indices.length * per];
            }
            if (ex.pixels().length != per || ex.target().length != n) {
                throw new IllegalArgumentException(
                        "Image " + indices[i] + " has another size or label count than image 0");
            }
            System.arraycopy(ex.pixels(), 0, pixels, i * per, per);
            System.arraycopy(ex.target(), 0, multiHot, i * n, n);
            classes[i] = singleClass(ex.target(), indices[i]);
        }
        int side = (int) Math.round(Math.sqrt(per / 3.0));
        NDArray x = Tensors.of(m, pixels, new Shape(indices.length, 3, side, side));
        NDArray y =
                config.singleLabel()
                        ? Tensors.of(m, classes, new Shape(indices.length))
                        : Tensors.of(m, multiHot, new Shape(indices.length, n));
        return new Batch(x, y, multiHot);
    }

    private record Batch(NDArray pixels, NDArray targets, float[] multiHot) {}

    private long singleClass(float[] target, int index) {
        if (!config.singleLabel()) {
            return 0;
        }
        int found = -1;
        for (int j = 0; j < target.length; j++) {
            if (target[j] > 0.5f) {
                if (found >= 0) {
                    throw new IllegalArgumentException(
                            "Single-label training needs one label per image; image "
                                    + index
                                    + " has several");
                }
                found = j;
            }
        }
        if (found < 0) {
            throw new IllegalArgumentException("Image " + index + " has no label");
        }
        return found;
    }
}
