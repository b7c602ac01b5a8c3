package image2music.models.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import image2music.models.nn.ConfigFit;
import image2music.models.nn.LoadRules;
import image2music.models.nn.StateDict;
import image2music.models.nn.StateDictFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads and saves {@link AutoencoderKL} in diffusers' {@code vae/} layout. Also reads checkpoints
 * from before diffusers renamed the mid-block attention ({@code query/key/value/proj_attn}, as in
 * riffusion-model-v1) and LDM-converted ones whose projections are 1×1 convs ({@code [C, C, 1,
 * 1]}).
 */
public final class VaeCheckpoints {

    public static final String SUBFOLDER = "vae";

    private static final Pattern LEGACY =
            Pattern.compile(
                    "(.*\\.mid_block\\.attentions\\.\\d+\\.)(query|key|value|proj_attn)(\\..*)");

    private VaeCheckpoints() {}

    /** Loads the VAE in {@code dir} (a {@code vae/} folder or a pipeline folder holding one). */
    public static AutoencoderKL load(Path dir, NDManager manager) throws IOException {
        Path folder = DiffusersFolders.component(dir, SUBFOLDER);
        Path configFile = DiffusersFolders.config(folder);
        AutoencoderKLConfig c = AutoencoderKLConfig.read(configFile);
        Path weights = DiffusersFolders.weights(folder);
        List<Integer> channels = c.blockOutChannels();
        ConfigFit.of(configFile, weights)
                .shape(
                        "encoder.conv_in.weight",
                        "block_out_channels[0] and in_channels",
                        channels.get(0),
                        c.inChannels(),
                        -1,
                        -1)
                .shape(
                        "decoder.conv_in.weight",
                        "block_out_channels[-1] and latent_channels",
                        channels.get(channels.size() - 1),
                        c.latentChannels(),
                        -1,
                        -1)
                .count("encoder.down_blocks", "down_block_types", c.downBlockTypes().size())
                .count("encoder.down_blocks.0.resnets", "layers_per_block", c.layersPerBlock());
        AutoencoderKL model = new AutoencoderKL(c);
        try (NDManager scratch = manager.newSubManager()) {
            Map<String, NDArray> arrays = modernKeys(StateDictFiles.read(weights, scratch));
            StateDict.load(
                    model,
                    arrays,
                    LoadRules.strict(),
                    manager,
                    DataType.FLOAT32,
                    weights.toString());
        }
        return model;
    }

    /** Writes {@code model} to {@code dir} as {@code config.json} + the safetensors weights. */
    public static void save(AutoencoderKL model, Path dir) throws IOException {
        DiffusersFolders.saveWeights(model, dir);
        model.config().write(dir.resolve(DiffusersFolders.CONFIG));
    }

    /**
     * Renames legacy attention keys to diffusers' current ones and flattens 1×1-conv projection
     * weights of the mid-block attention to linear ones.
     */
    static Map<String, NDArray> modernKeys(Map<String, NDArray> weights) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : weights.entrySet()) {
            String key = e.getKey();
            Matcher m = LEGACY.matcher(key);
            if (m.matches()) {
                String name =
                        switch (m.group(2)) {
                            case "query" -> "to_q";
                            case "key" -> "to_k";
                            case "value" -> "to_v";
                            default -> "to_out.0";
                        };
                key = m.group(1) + name + m.group(3);
            }
            NDArray v = e.getValue();
            boolean projection =
                    key.contains(".mid_block.attentions.")
                            && key.endsWith(".weight")
                            && !key.contains(".group_norm.");
            if (projection
                    && v.getShape().dimension() == 4
                    && v.getShape().get(2) == 1
                    && v.getShape().get(3) == 1) {
                v = v.reshape(v.getShape().get(0), v.getShape().get(1));
            }
            out.put(key, v);
        }
        return out;
    }
}
