package image2music.models.diffusion;

import com.google.gson.JsonObject;
import image2music.core.json.Json;
import image2music.models.nn.ConfigLimits;
import image2music.models.nn.HfConfigs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * diffusers' {@code AutoencoderKL} config ({@code vae/config.json}) with diffusers' defaults. Keys
 * not modelled are kept in {@code extra} and written back.
 *
 * @param scalingFactor latents are multiplied by it before the UNet (SD-1.x: 0.18215)
 */
public record AutoencoderKLConfig(
        int inChannels,
        int outChannels,
        List<String> downBlockTypes,
        List<String> upBlockTypes,
        List<Integer> blockOutChannels,
        int layersPerBlock,
        String actFn,
        int latentChannels,
        int normNumGroups,
        int sampleSize,
        float scalingFactor,
        boolean useQuantConv,
        boolean usePostQuantConv,
        boolean midBlockAddAttention,
        JsonObject extra) {

    /** Every VAE group norm uses this epsilon (diffusers hard-codes it). */
    public static final float NORM_EPS = 1e-6f;

    private static final List<String> MODELLED =
            List.of(
                    "in_channels",
                    "out_channels",
                    "down_block_types",
                    "up_block_types",
                    "block_out_channels",
                    "layers_per_block",
                    "act_fn",
                    "latent_channels",
                    "norm_num_groups",
                    "sample_size",
                    "scaling_factor",
                    "use_quant_conv",
                    "use_post_quant_conv",
                    "mid_block_add_attention");

    public AutoencoderKLConfig {
        downBlockTypes = List.copyOf(downBlockTypes);
        upBlockTypes = List.copyOf(upBlockTypes);
        blockOutChannels = List.copyOf(blockOutChannels);
        extra = extra == null ? new JsonObject() : extra.deepCopy();
    }

    /** Checks sizes and block types; the message names the field and value. */
    public void validate() {
        ConfigChecks.sameLevels(blockOutChannels, downBlockTypes, upBlockTypes);
        int levels = blockOutChannels.size();
        ConfigChecks.groupMultiples(blockOutChannels, normNumGroups);
        ConfigChecks.capSizes(inChannels, outChannels, layersPerBlock, sampleSize);
        ConfigLimits.cap("latent_channels", latentChannels, ConfigLimits.MAX_WIDTH);
        for (int i = 0; i < levels; i++) {
            if (!"DownEncoderBlock2D".equals(downBlockTypes.get(i))) {
                throw new IllegalArgumentException(
                        "down_block_types: '"
                                + downBlockTypes.get(i)
                                + "' does not exist (known: DownEncoderBlock2D)");
            }
            if (!"UpDecoderBlock2D".equals(upBlockTypes.get(i))) {
                throw new IllegalArgumentException(
                        "up_block_types: '"
                                + upBlockTypes.get(i)
                                + "' does not exist (known: UpDecoderBlock2D)");
            }
        }
        if (inChannels <= 0 || outChannels <= 0 || latentChannels <= 0 || layersPerBlock <= 0) {
            throw new IllegalArgumentException(
                    "in_channels "
                            + inChannels
                            + ", out_channels "
                            + outChannels
                            + ", latent_channels "
                            + latentChannels
                            + " and layers_per_block "
                            + layersPerBlock
                            + " must be > 0");
        }
        ConfigChecks.silu(actFn);
        for (String k : List.of("shift_factor", "latents_mean", "latents_std")) {
            if (Json.present(extra, k)) {
                throw new IllegalArgumentException(k + " = " + extra.get(k) + " is not supported");
            }
        }
    }

    /** SD-1.5's VAE. */
    public static AutoencoderKLConfig sd15() {
        JsonObject o = new JsonObject();
        o.add("block_out_channels", Json.array(List.of(128, 256, 512, 512)));
        o.add(
                "down_block_types",
                Json.array(java.util.Collections.nCopies(4, "DownEncoderBlock2D")));
        o.add("up_block_types", Json.array(java.util.Collections.nCopies(4, "UpDecoderBlock2D")));
        o.addProperty("layers_per_block", 2);
        o.addProperty("sample_size", 512);
        return fromJson(o);
    }

    /** Reads {@code config.json}; absent keys take diffusers' defaults. */
    public static AutoencoderKLConfig read(Path path) throws IOException {
        return HfConfigs.read(path, "AutoencoderKL config", AutoencoderKLConfig::fromJson);
    }

    /** Builds the config from a parsed {@code config.json}. */
    public static AutoencoderKLConfig fromJson(JsonObject o) {
        JsonObject extra = HfConfigs.unmodelled(o, MODELLED);
        AutoencoderKLConfig c =
                new AutoencoderKLConfig(
                        Json.intOr(o, "in_channels", 3),
                        Json.intOr(o, "out_channels", 3),
                        Json.strings(o, "down_block_types", List.of("DownEncoderBlock2D")),
                        Json.strings(o, "up_block_types", List.of("UpDecoderBlock2D")),
                        Json.ints(o, "block_out_channels", List.of(64)),
                        Json.intOr(o, "layers_per_block", 1),
                        Json.strOr(o, "act_fn", "silu"),
                        Json.intOr(o, "latent_channels", 4),
                        Json.intOr(o, "norm_num_groups", 32),
                        Json.intOr(o, "sample_size", 32),
                        Json.floatOr(o, "scaling_factor", 0.18215f),
                        Json.boolOr(o, "use_quant_conv", true),
                        Json.boolOr(o, "use_post_quant_conv", true),
                        Json.boolOr(o, "mid_block_add_attention", true),
                        extra);
        c.validate();
        return c;
    }

    /** The {@code config.json} object. */
    public JsonObject toJson() {
        JsonObject o = extra.deepCopy();
        if (!o.has("_class_name")) {
            o.addProperty("_class_name", "AutoencoderKL");
        }
        o.addProperty("in_channels", inChannels);
        o.addProperty("out_channels", outChannels);
        o.add("down_block_types", Json.array(downBlockTypes));
        o.add("up_block_types", Json.array(upBlockTypes));
        o.add("block_out_channels", Json.array(blockOutChannels));
        o.addProperty("layers_per_block", layersPerBlock);
        o.addProperty("act_fn", actFn);
        o.addProperty("latent_channels", latentChannels);
        o.addProperty("norm_num_groups", normNumGroups);
        o.addProperty("sample_size", sampleSize);
        o.addProperty("scaling_factor", scalingFactor);
        o.addProperty("use_quant_conv", useQuantConv);
        o.addProperty("use_post_quant_conv", usePostQuantConv);
        o.addProperty("mid_block_add_attention", midBlockAddAttention);
        return o;
    }

    /** Writes {@code config.json}. */
    public void write(Path path) throws IOException {
        HfConfigs.write(path, toJson());
    }

    /** The unmodelled keys (a copy). */
    @Override
    public JsonObject extra() {
        return extra.deepCopy();
    }
}
