package image2music.models.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import image2music.models.nn.Engines;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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
        List<List<LabelScore>> out = new ArrayList<>();
        try (NDManager step = manager.newSubManager()) {
            NDArray pixels =
                    processor.preprocess(images, step).toDevice(manager.getDevice(), false);
            NDArray logits =
                    model.run(new ParameterStore(step, false), pixels, false, false, false)
                            .logits();
            boolean multi = ViTConfig.MULTI_LABEL.equals(model.config().problemType());
            float[] p =
                    (multi ? logits.getNDArrayInternal().sigmoid() : logits.softmax(-1))
                            .toFloatArray();
            int n = model.config().labels().size();
            for (int i = 0; i < images.size(); i++) {
                List<LabelScore> scores = new ArrayList<>();
                for (int j = 0; j < n; j++) {
                    scores.add(new LabelScore(model.config().labels().get(j), p[i * n + j]));
                }
                scores.sort(Comparator.comparingDouble(LabelScore::probability).reversed());
                out.add(scores);
            }
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
