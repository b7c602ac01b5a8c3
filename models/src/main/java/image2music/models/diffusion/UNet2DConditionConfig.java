package image2music.models.diffusion;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import image2music.core.json.Json;
import image2music.models.nn.ConfigLimits;
import image2music.models.nn.HfConfigs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * diffusers' {@code UNet2DConditionModel} config ({@code unet/config.json}) for the SD1.x family,
 * with diffusers' defaults. Keys not modelled here are kept in {@code extra} and written back;
 * those that would change the architecture in ways we do not implement must be at their default
 * (checked by {@link #validate}).
 *
 * @param attentionHeadDim per down block; diffusers uses it as the number of heads when {@code
 *     num_attention_heads} is null (as SD1.x configs have it)
 */
public record UNet2DConditionConfig(
        int sampleSize,
        int inChannels,
        int outChannels,
        boolean flipSinToCos,
        int freqShift,
        List<String> downBlockTypes,
        String midBlockType,
        List<String> upBlockTypes,
        List<Integer> blockOutChannels,
        int layersPerBlock,
        int downsamplePadding,
        float midBlockScaleFactor,
        String actFn,
        int normNumGroups,
        float normEps,
        int crossAttentionDim,
        int transformerLayersPerBlock,
        List<Integer> attentionHeadDim,
        boolean useLinearProjection,
        JsonObject extra) {

    /** Keys that must be absent, null or at this default: features we do not implement. */
    private static final Map<String, String> UNSUPPORTED_UNLESS =
            Map.ofEntries(
                    Map.entry("num_attention_heads", "null"),
                    Map.entry("class_embed_type", "null"),
                    Map.entry("encoder_hid_dim", "null"),
                    Map.entry("time_cond_proj_dim", "null"),
                    Map.entry("time_embedding_dim", "null"),
                    Map.entry("time_embedding_act_fn", "null"),
                    Map.entry("timestep_post_act", "null"),
                    Map.entry("num_class_embeds", "null"),
                    Map.entry("time_embedding_type", "\"positional\""),
                    Map.entry("resnet_time_scale_shift", "\"default\""),
                    Map.entry("only_cross_attention", "false"),
                    Map.entry("dual_cross_attention", "false"),
                    Map.entry("upcast_attention", "false"),
                    Map.entry("center_input_sample", "false"),
                    Map.entry("conv_in_kernel", "3"),
                    Map.entry("conv_out_kernel", "3"),
                    Map.entry("cross_attention_norm", "null"),
                    Map.entry("attention_type", "\"default\""),
                    Map.entry("resnet_skip_time_act", "false"),
                    Map.entry("resnet_out_scale_factor", "1.0"),
                    Map.entry("reverse_transformer_layers_per_block", "null"),
                    Map.entry("class_embeddings_concat", "false"),
                    Map.entry("mid_block_only_cross_attention", "null"),
                    Map.entry("addition_time_embed_dim", "null"),
                    Map.entry("projection_class_embeddings_input_dim", "null"),
                    Map.entry("encoder_hid_dim_type", "null"));

    /** The {@code addition_embed_type} that pools the text states into the time embedding. */
    public static final String TEXT_ADDITION = "text";

    private static final List<String> MODELLED =
            List.of(
                    "sample_size",
                    "in_channels",
                    "out_channels",
                    "flip_sin_to_cos",
                    "freq_shift",
                    "down_block_types",
                    "mid_block_type",
                    "up_block_types",
                    "block_out_channels",
                    "layers_per_block",
                    "downsample_padding",
                    "mid_block_scale_factor",
                    "act_fn",
                    "norm_num_groups",
                    "norm_eps",
                    "cross_attention_dim",
                    "transformer_layers_per_block",
                    "attention_head_dim",
                    "use_linear_projection");

    public UNet2DConditionConfig {
        downBlockTypes = List.copyOf(downBlockTypes);
        upBlockTypes = List.copyOf(upBlockTypes);
        blockOutChannels = List.copyOf(blockOutChannels);
        if (attentionHeadDim.size() == 1 && blockOutChannels.size() > 1) {
            attentionHeadDim =
                    Collections.nCopies(blockOutChannels.size(), attentionHeadDim.get(0));
        }
        attentionHeadDim = List.copyOf(attentionHeadDim);
        extra = extra == null ? new JsonObject() : extra.deepCopy();
    }

    /**
     * Checks the sizes and the unsupported features (run by {@link #fromJson} and by the model's
     * constructor); the message names the field and value.
     */
    public void validate() {
        ConfigChecks.sameLevels(blockOutChannels, downBlockTypes, upBlockTypes);
        int levels = blockOutChannels.size();
        if (attentionHeadDim.size() != levels) {
            throw new IllegalArgumentException(
                    "attention_head_dim " + attentionHeadDim + " must have " + levels + " entries");
        }
        ConfigChecks.groupMultiples(blockOutChannels, normNumGroups);
        ConfigChecks.capSizes(inChannels, outChannels, layersPerBlock, sampleSize);
        ConfigLimits.cap("cross_attention_dim", crossAttentionDim, ConfigLimits.MAX_WIDTH);
        ConfigLimits.cap(
                "transformer_layers_per_block", transformerLayersPerBlock, ConfigLimits.MAX_LAYERS);
        ConfigLimits.capEach(
                "attention_head_dim",
                attentionHeadDim,
                ConfigLimits.MAX_WIDTH,
                ConfigChecks.MAX_LEVELS);
        if (inChannels <= 0 || outChannels <= 0 || layersPerBlock <= 0 || crossAttentionDim <= 0) {
            throw new IllegalArgumentException(
                    "in_channels "
                            + inChannels
                            + ", out_channels "
                            + outChannels
                            + ", layers_per_block "
                            + layersPerBlock
                            + " and cross_attention_dim "
                            + crossAttentionDim
                            + " must be > 0");
        }
        if (transformerLayersPerBlock <= 0) {
            throw new IllegalArgumentException(
                    "transformer_layers_per_block must be > 0, got " + transformerLayersPerBlock);
        }
        ConfigChecks.silu(actFn);
        if (midBlockScaleFactor != 1f) {
            throw new IllegalArgumentException(
                    "mid_block_scale_factor " + midBlockScaleFactor + " is not supported (1)");
        }
        String added = additionEmbedType();
        if (added != null) {
            if (!TEXT_ADDITION.equals(added)) {
                throw new IllegalArgumentException(
                        "addition_embed_type = \""
                                + added
                                + "\" is not supported (only null or \"text\")");
            }
            int heads = additionEmbedHeads();
            if (heads <= 0 || crossAttentionDim % heads != 0) {
                throw new IllegalArgumentException(
                        "addition_embed_type_num_heads "
                                + heads
                                + " must divide cross_attention_dim "
                                + crossAttentionDim);
            }
        }
        for (Map.Entry<String, String> e : UNSUPPORTED_UNLESS.entrySet()) {
            JsonElement v = extra.get(e.getKey());
            if (v != null && !v.isJsonNull() && !same(v, e.getValue())) {
                throw new IllegalArgumentException(
                        e.getKey() + " = " + v + " is not supported (only " + e.getValue() + ")");
            }
        }
    }

    private static boolean same(JsonElement v, String expected) {
        if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()) {
            return v.getAsDouble() == Double.parseDouble(expected);
        }
        return v.toString().equals(expected);
    }

    /**
     * The extra embedding added to the time embedding: null, or {@value #TEXT_ADDITION} for the
     * pooled text states ({@code add_embedding}, diffusers' {@code TextTimeEmbedding}).
     */
    public String additionEmbedType() {
        JsonElement v = extra.get("addition_embed_type");
        return v == null || v.isJsonNull() ? null : v.getAsString();
    }

    /** Attention-pooling heads of the text addition embedding (diffusers' default 64). */
    public int additionEmbedHeads() {
        JsonElement v = extra.get("addition_embed_type_num_heads");
        return v == null || v.isJsonNull() ? 64 : v.getAsInt();
    }

    /** Width of the time embedding: 4 × the first block's channels. */
    public int timeEmbedDim() {
        return 4 * blockOutChannels.get(0);
    }

    /**
     * Attention heads at level {@code i} (diffusers: {@code num_attention_heads or
     * attention_head_dim}).
     */
    public int heads(int i) {
        return attentionHeadDim.get(i);
    }

    /** SD-1.5's UNet (runwayml/stable-diffusion-v1-5, riffusion-model-v1). */
    public static UNet2DConditionConfig sd15() {
        // diffusers' defaults are SD-1.x's except the text width (CLIP ViT-L/14: 768).
        JsonObject o = new JsonObject();
        o.addProperty("cross_attention_dim", 768);
        return fromJson(o);
    }

    /** Reads {@code config.json}; absent keys take diffusers' defaults. */
    public static UNet2DConditionConfig read(Path path) throws IOException {
        return HfConfigs.read(path, "UNet2DConditionModel config", UNet2DConditionConfig::fromJson);
    }

    /** Builds the config from a parsed {@code config.json}, with diffusers' defaults. */
    public static UNet2DConditionConfig fromJson(JsonObject o) {
        JsonObject extra = HfConfigs.unmodelled(o, MODELLED);
        UNet2DConditionConfig c =
                new UNet2DConditionConfig(
                        Json.intOr(o, "sample_size", 64),
                        Json.intOr(o, "in_channels", 4),
                        Json.intOr(o, "out_channels", 4),
                        Json.boolOr(o, "flip_sin_to_cos", true),
                        Json.intOr(o, "freq_shift", 0),
                        Json.strings(
                                o,
                                "down_block_types",
                                List.of(
                                        "CrossAttnDownBlock2D",
                                        "CrossAttnDownBlock2D",
                                        "CrossAttnDownBlock2D",
                                        "DownBlock2D")),
                        Json.strOr(o, "mid_block_type", "UNetMidBlock2DCrossAttn"),
                        Json.strings(
                                o,
                                "up_block_types",
                                List.of(
                                        "UpBlock2D",
                                        "CrossAttnUpBlock2D",
                                        "CrossAttnUpBlock2D",
                                        "CrossAttnUpBlock2D")),
                        Json.ints(o, "block_out_channels", List.of(320, 640, 1280, 1280)),
                        Json.intOr(o, "layers_per_block", 2),
                        Json.intOr(o, "downsample_padding", 1),
                        Json.floatOr(o, "mid_block_scale_factor", 1f),
                        Json.strOr(o, "act_fn", "silu"),
                        Json.intOr(o, "norm_num_groups", 32),
                        Json.floatOr(o, "norm_eps", 1e-5f),
                        Json.intOr(o, "cross_attention_dim", 1280),
                        Json.intOr(o, "transformer_layers_per_block", 1),
                        Json.ints(o, "attention_head_dim", List.of(8)),
                        Json.boolOr(o, "use_linear_projection", false),
                        extra);
        c.validate();
        return c;
    }

    /** The {@code config.json} object. */
    public JsonObject toJson() {
        JsonObject o = extra.deepCopy();
        if (!o.has("_class_name")) {
            o.addProperty("_class_name", "UNet2DConditionModel");
        }
        o.addProperty("sample_size", sampleSize);
        o.addProperty("in_channels", inChannels);
        o.addProperty("out_channels", outChannels);
        o.addProperty("flip_sin_to_cos", flipSinToCos);
        o.addProperty("freq_shift", freqShift);
        o.add("down_block_types", Json.array(downBlockTypes));
        o.addProperty("mid_block_type", midBlockType);
        o.add("up_block_types", Json.array(upBlockTypes));
        o.add("block_out_channels", Json.array(blockOutChannels));
        o.addProperty("layers_per_block", layersPerBlock);
        o.addProperty("downsample_padding", downsamplePadding);
        o.addProperty("mid_block_scale_factor", midBlockScaleFactor);
        o.addProperty("act_fn", actFn);
        o.addProperty("norm_num_groups", normNumGroups);
        o.addProperty("norm_eps", normEps);
        o.addProperty("cross_attention_dim", crossAttentionDim);
        o.addProperty("transformer_layers_per_block", transformerLayersPerBlock);
        JsonArray heads = Json.array(attentionHeadDim);
        boolean uniform = new ArrayList<>(attentionHeadDim).stream().distinct().count() == 1;
        if (uniform) {
            o.addProperty("attention_head_dim", attentionHeadDim.get(0));
        } else {
            o.add("attention_head_dim", heads);
        }
        o.addProperty("use_linear_projection", useLinearProjection);
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
