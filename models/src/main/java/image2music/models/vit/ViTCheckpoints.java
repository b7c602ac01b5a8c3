package image2music.models.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import image2music.models.nn.ConfigFit;
import image2music.models.nn.LoadRules;
import image2music.models.nn.SafetensorsFile;
import image2music.models.nn.SafetensorsWriter;
import image2music.models.nn.StateDict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Model folders in HF's layout ({@code config.json} + {@code model.safetensors}) for {@link
 * ViTForImageClassification}. Reads both layouts transformers publishes: a classifier ({@code
 * vit.*} + {@code classifier.*}) and a bare {@code ViTModel} backbone such as
 * google/vit-base-patch16-224-in21k (no {@code vit.} prefix, a {@code pooler}, no classifier).
 */
public final class ViTCheckpoints {

    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";

    private ViTCheckpoints() {}

    /**
     * Loads the classifier in {@code dir}. A backbone-only folder gets a freshly initialised {@code
     * classifier} for the config's labels (and its pooler is ignored).
     */
    public static ViTForImageClassification load(Path dir, NDManager manager) throws IOException {
        ViTConfig config = ViTConfig.read(existing(dir.resolve(CONFIG)));
        fits(config, dir);
        return loadWeights(dir, new ViTForImageClassification(config), manager, false);
    }

    /**
     * Loads the backbone in {@code dir} (either layout) under a new classifier head for {@code
     * labels}: the way training starts from pretrained weights.
     */
    public static ViTForImageClassification loadWithNewHead(
            Path dir, List<String> labels, String problemType, NDManager manager)
            throws IOException {
        ViTConfig config =
                ViTConfig.read(existing(dir.resolve(CONFIG))).withLabels(labels, problemType);
        fits(config, dir);
        return loadWeights(dir, new ViTForImageClassification(config), manager, true);
    }

    /** Checks {@code config} against the weights' header before the model is built. */
    private static void fits(ViTConfig c, Path dir) throws IOException {
        long hidden = c.hiddenSize();
        long patches = (long) (c.imageSize() / c.patchSize()) * (c.imageSize() / c.patchSize());
        ConfigFit.of(dir.resolve(CONFIG), existing(dir.resolve(WEIGHTS)))
                .shape(
                        "embeddings.patch_embeddings.projection.weight",
                        "hidden_size, num_channels and patch_size",
                        hidden,
                        c.numChannels(),
                        c.patchSize(),
                        c.patchSize())
                .shape(
                        "embeddings.position_embeddings",
                        "image_size, patch_size and hidden_size",
                        1,
                        patches + 1,
                        hidden)
                .count("encoder.layer", "num_hidden_layers", c.numHiddenLayers())
                .shape(
                        "encoder.layer.0.intermediate.dense.weight",
                        "intermediate_size and hidden_size",
                        c.intermediateSize(),
                        hidden);
    }

    private static ViTForImageClassification loadWeights(
            Path dir, ViTForImageClassification model, NDManager manager, boolean newHead)
            throws IOException {
        Path weights = existing(dir.resolve(WEIGHTS));
        try (NDManager scratch = manager.newSubManager();
                SafetensorsFile file = SafetensorsFile.open(weights)) {
            boolean backboneOnly =
                    file.tensors().keySet().stream().noneMatch(k -> k.startsWith("vit."));
            UnaryOperator<String> rename =
                    backboneOnly ? k -> "vit." + k : UnaryOperator.identity();
            LoadRules rules =
                    new LoadRules(
                            rename,
                            k -> (backboneOnly || newHead) && k.startsWith("classifier."),
                            k -> k.startsWith("vit.pooler."));
            Map<String, NDArray> arrays = file.loadAll(scratch);
            if (newHead) {
                // The old head's labels are not ours: drop it rather than report its shape.
                arrays.keySet().removeIf(k -> k.startsWith("classifier."));
            }
            StateDict.load(model, arrays, rules, manager, DataType.FLOAT32, weights.toString());
        }
        return model;
    }

    /** Writes {@code model} to {@code dir} as {@code config.json} + {@code model.safetensors}. */
    public static void save(ViTForImageClassification model, Path dir) throws IOException {
        Files.createDirectories(dir);
        SafetensorsWriter.write(dir.resolve(WEIGHTS), StateDict.arrays(model));
        model.config().write(dir.resolve(CONFIG));
    }

    private static Path existing(Path p) throws IOException {
        if (!Files.exists(p)) {
            throw new NoSuchFileException(p.toString());
        }
        if (!Files.isRegularFile(p)) {
            throw new IOException(p + ": not a regular file");
        }
        return p;
    }
}
