package image2music.models.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import image2music.models.nn.LoadRules;
import image2music.models.nn.SafetensorsWriter;
import image2music.models.nn.StateDict;
import image2music.models.nn.StateDictFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * diffusers' component folder layout: {@code config.json} + {@code
 * diffusion_pytorch_model.safetensors} or, failing that, {@code diffusion_pytorch_model.bin} (F32,
 * F16 or BF16, loaded as F32).
 */
public final class DiffusersFolders {

    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "diffusion_pytorch_model.safetensors";
    public static final String BIN_WEIGHTS = "diffusion_pytorch_model.bin";

    private DiffusersFolders() {}

    /**
     * The folder holding the component: {@code dir} itself when it has a {@code config.json}, else
     * {@code dir/subfolder} (a pipeline folder such as {@code model/unet}).
     */
    public static Path component(Path dir, String subfolder) throws NoSuchFileException {
        if (Files.isRegularFile(dir.resolve(CONFIG))) {
            return dir;
        }
        Path sub = dir.resolve(subfolder);
        if (Files.isRegularFile(sub.resolve(CONFIG))) {
            return sub;
        }
        throw new NoSuchFileException(
                dir.resolve(CONFIG).toString(), null, "no " + CONFIG + " here nor in " + sub);
    }

    /** The config file of the component in {@code dir} (must exist). */
    public static Path config(Path dir) throws NoSuchFileException {
        return existing(dir.resolve(CONFIG));
    }

    /** The weights file of the component in {@code dir}: safetensors, else the {@code .bin}. */
    public static Path weights(Path dir) throws IOException {
        return StateDictFiles.find(dir, WEIGHTS, BIN_WEIGHTS);
    }

    /** Loads the weights of {@code dir} into {@code model} as F32 on {@code manager}. */
    public static void loadWeights(Path dir, Block model, LoadRules rules, NDManager manager)
            throws IOException {
        Path weights = weights(dir);
        try (NDManager scratch = manager.newSubManager()) {
            Map<String, NDArray> arrays = StateDictFiles.read(weights, scratch);
            StateDict.load(model, arrays, rules, manager, DataType.FLOAT32, weights.toString());
        }
    }

    /** Writes the weights of {@code model} as {@code dir/diffusion_pytorch_model.safetensors}. */
    public static void saveWeights(Block model, Path dir) throws IOException {
        Files.createDirectories(dir);
        SafetensorsWriter.write(dir.resolve(WEIGHTS), StateDict.arrays(model));
    }

    private static Path existing(Path p) throws NoSuchFileException {
        if (!Files.isRegularFile(p)) {
            throw new NoSuchFileException(p.toString(), null, "missing file");
        }
        return p;
    }
}
