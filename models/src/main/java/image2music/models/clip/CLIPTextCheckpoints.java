package image2music.models.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import image2music.models.nn.ConfigFit;
import image2music.models.nn.LoadRules;
import image2music.models.nn.SafetensorsWriter;
import image2music.models.nn.StateDict;
import image2music.models.nn.StateDictFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * {@link CLIPTextModel} folders in HF's layout ({@code config.json} + {@code model.safetensors} or,
 * failing that, {@code pytorch_model.bin}), e.g. a Stable Diffusion pipeline's {@code
 * text_encoder/}. The {@code text_model.embeddings.position_ids} buffer real checkpoints carry is
 * accepted and ignored.
 */
public final class CLIPTextCheckpoints {

    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String BIN_WEIGHTS = "pytorch_model.bin";

    private static final String POSITION_IDS = "text_model.embeddings.position_ids";

    private CLIPTextCheckpoints() {}

    /** The rules for a CLIPTextModel checkpoint: every key must match but position_ids. */
    public static LoadRules rules() {
        return new LoadRules(UnaryOperator.identity(), k -> false, POSITION_IDS::equals);
    }

    /** Loads the text encoder in {@code dir} as float32 on {@code manager}'s device. */
    public static CLIPTextModel load(Path dir, NDManager manager) throws IOException {
        CLIPTextConfig config = CLIPTextConfig.read(existing(dir.resolve(CONFIG)));
        fits(config, dir);
        CLIPTextModel model = new CLIPTextModel(config);
        loadWeights(dir, model, manager);
        return model;
    }

    /** Checks {@code config} against the weights' header before the model is built. */
    private static void fits(CLIPTextConfig c, Path dir) throws IOException {
        long hidden = c.hiddenSize();
        ConfigFit.of(dir.resolve(CONFIG), StateDictFiles.find(dir, WEIGHTS, BIN_WEIGHTS))
                .shape(
                        "embeddings.token_embedding.weight",
                        "vocab_size and hidden_size",
                        c.vocabSize(),
                        hidden)
                .shape(
                        "embeddings.position_embedding.weight",
                        "max_position_embeddings and hidden_size",
                        c.maxPositionEmbeddings(),
                        hidden)
                .count("encoder.layers", "num_hidden_layers", c.numHiddenLayers())
                .shape(
                        "encoder.layers.0.mlp.fc1.weight",
                        "intermediate_size and hidden_size",
                        c.intermediateSize(),
                        hidden);
    }

    /** Loads the weights in {@code dir} into {@code model} (same config) as float32. */
    public static void loadWeights(Path dir, CLIPTextModel model, NDManager manager)
            throws IOException {
        Path weights = StateDictFiles.find(dir, WEIGHTS, BIN_WEIGHTS);
        try (NDManager scratch = manager.newSubManager()) {
            Map<String, NDArray> arrays = StateDictFiles.read(weights, scratch);
            StateDict.load(model, arrays, rules(), manager, DataType.FLOAT32, weights.toString());
        }
    }

    /** Writes {@code model} to {@code dir} as {@code config.json} + {@code model.safetensors}. */
    public static void save(CLIPTextModel model, Path dir) throws IOException {
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
