package image2music.models.diffusion;

import ai.djl.ndarray.NDManager;
import image2music.models.nn.LoadRules;
import java.io.IOException;
import java.nio.file.Path;

/** Loads and saves {@link UNet2DConditionModel} in diffusers' {@code unet/} layout. */
public final class UNetCheckpoints {

    public static final String SUBFOLDER = "unet";

    private UNetCheckpoints() {}

    /** Loads the UNet in {@code dir} (a {@code unet/} folder or a pipeline folder holding one). */
    public static UNet2DConditionModel load(Path dir, NDManager manager) throws IOException {
        Path folder = DiffusersFolders.component(dir, SUBFOLDER);
        UNet2DConditionModel model =
                new UNet2DConditionModel(
                        UNet2DConditionConfig.read(DiffusersFolders.config(folder)));
        DiffusersFolders.loadWeights(folder, model, LoadRules.strict(), manager);
        return model;
    }

    /** Writes {@code model} to {@code dir} as {@code config.json} + the safetensors weights. */
    public static void save(UNet2DConditionModel model, Path dir) throws IOException {
        DiffusersFolders.saveWeights(model, dir);
        model.config().write(dir.resolve(DiffusersFolders.CONFIG));
    }
}
