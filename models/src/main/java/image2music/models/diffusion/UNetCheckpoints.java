package image2music.models.diffusion;

import ai.djl.ndarray.NDManager;
import image2music.models.nn.ConfigFit;
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
        Path configFile = DiffusersFolders.config(folder);
        UNet2DConditionConfig c = UNet2DConditionConfig.read(configFile);
        long first = c.blockOutChannels().get(0);
        ConfigFit.of(configFile, DiffusersFolders.weights(folder))
                .shape(
                        "conv_in.weight",
                        "block_out_channels[0] and in_channels",
                        first,
                        c.inChannels(),
                        -1,
                        -1)
                .shape(
                        "conv_out.weight",
                        "out_channels and block_out_channels[0]",
                        c.outChannels(),
                        first,
                        -1,
                        -1)
                .count("down_blocks", "down_block_types", c.downBlockTypes().size())
                .count("up_blocks", "up_block_types", c.upBlockTypes().size())
                .count("down_blocks.0.resnets", "layers_per_block", c.layersPerBlock());
        UNet2DConditionModel model = new UNet2DConditionModel(c);
        DiffusersFolders.loadWeights(folder, model, LoadRules.strict(), manager);
        return model;
    }

    /** Writes {@code model} to {@code dir} as {@code config.json} + the safetensors weights. */
    public static void save(UNet2DConditionModel model, Path dir) throws IOException {
        DiffusersFolders.saveWeights(model, dir);
        model.config().write(dir.resolve(DiffusersFolders.CONFIG));
    }
}
