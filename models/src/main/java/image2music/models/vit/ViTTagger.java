package image2music.models.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import image2music.models.nn.Engines;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Tags images with a {@link ViTForImageClassification} model folder (ours or any HF one):
 * preprocessing from the folder, probabilities by sigmoid for {@code multi_label_classification}
 * and softmax otherwise, labels most probable first.
 */
public final class ViTTagger implements AutoCloseable {

    private final NDManager manager;
    private final ViTForImageClassification model;
    private final ViTImageProcessor processor;

    private ViTTagger(NDManager manager, ViTForImageClassification model, ViTImageProcessor p) {
        this.manager = manager;
        this.model = model;
        this.processor = p;
    }

    /** Loads the model folder {@code dir} onto {@link Engines#device()}. */
    public static ViTTagger open(Path dir) throws IOException {
        NDManager m = Engines.newManager();
        try {
            ViTForImageClassification model = ViTCheckpoints.load(dir, m);
            ImageProcessorConfig pc = ImageProcessorConfig.forModel(dir, model.config());
            return new ViTTagger(m, model, new ViTImageProcessor(pc));
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** The model's configuration (labels, problem type). */
    public ViTConfig config() {
        return model.config();
    }

    /** All labels of each image, most probable first. */
    public List<List<LabelScore>> tag(List<RgbImage> images) {
        Scores scores = score(images);
        List<String> labels = model.config().labels();
        List<List<LabelScore>> out = new ArrayList<>();
        for (float[] p : scores.probabilities()) {
            List<LabelScore> ranked = new ArrayList<>();
            for (int j = 0; j < labels.size(); j++) {
                ranked.add(new LabelScore(labels.get(j), p[j]));
            }
            ranked.sort(Comparator.comparingDouble(LabelScore::probability).reversed());
            out.add(ranked);
        }
        return out;
    }

    /**
     * Each image's label probabilities (in {@code config().labels()} order) and its embedding: the
     * [CLS] token after the final layer norm, the features the classifier head reads.
     *
     * @param probabilities [image][label]
     * @param embeddings [image][hidden_size]
     */
    public record Scores(float[][] probabilities, float[][] embeddings) {}

    /** Scores {@code images} in one batch. */
    public Scores score(List<RgbImage> images) {
        try (NDManager step = manager.newSubManager()) {
            NDArray pixels =
                    processor.preprocess(images, step).toDevice(manager.getDevice(), false);
            ViTOutput o = model.run(new ParameterStore(step, false), pixels, false, false, false);
            NDArray logits = o.logits();
            boolean multi = ViTConfig.MULTI_LABEL.equals(model.config().problemType());
            NDArray p = multi ? logits.getNDArrayInternal().sigmoid() : logits.softmax(-1);
            NDArray cls = o.sequenceOutput().get(new NDIndex(":, 0, :"));
            return new Scores(rows(p, images.size()), rows(cls, images.size()));
        }
    }

    private static float[][] rows(NDArray a, int n) {
        float[] flat = a.toType(DataType.FLOAT32, false).toFloatArray();
        int d = flat.length / Math.max(1, n);
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = Arrays.copyOfRange(flat, i * d, (i + 1) * d);
        }
        return out;
    }

    /**
     * The labels to report from {@code ranked} (most probable first): at most {@code topK}, only
     * those at least {@code threshold} probable, but always the most probable one so every image
     * gets a caption.
     */
    public static List<LabelScore> select(List<LabelScore> ranked, int topK, float threshold) {
        List<LabelScore> out = new ArrayList<>();
        for (LabelScore s : ranked) {
            if (out.size() >= topK) {
                break;
            }
            if (out.isEmpty() || s.probability() >= threshold) {
                out.add(s);
            }
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
