package image2music.models.clip;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import image2music.models.nn.ConfigLimits;
import image2music.models.nn.HfConfigs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * HF's {@code CLIPTextConfig} ({@code model_type} {@code clip_text_model}, the {@code
 * text_encoder/config.json} of a Stable Diffusion pipeline), with transformers' defaults. Keys this
 * record does not model are kept in {@code extra} and written back unchanged.
 *
 * @param eosTokenId 2 in openai's and SD's configs, which makes the pooled output take the highest
 *     id's position (transformers' legacy rule); any other value pools at that token's first
 *     position
 */
public record CLIPTextConfig(
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int projectionDim,
        int numHiddenLayers,
        int numAttentionHeads,
        int maxPositionEmbeddings,
        String hiddenAct,
        float layerNormEps,
        float attentionDropout,
        float initializerRange,
        float initializerFactor,
        int padTokenId,
        int bosTokenId,
        int eosTokenId,
        JsonObject extra) {

    /** The eos_token_id value that selects transformers' legacy (argmax) pooling. */
    public static final int LEGACY_EOS_TOKEN_ID = 2;

    private static final List<String> MODELLED =
            List.of(
                    "vocab_size",
                    "hidden_size",
                    "intermediate_size",
                    "projection_dim",
                    "num_hidden_layers",
                    "num_attention_heads",
                    "max_position_embeddings",
                    "hidden_act",
                    "layer_norm_eps",
                    "attention_dropout",
                    "initializer_range",
                    "initializer_factor",
                    "pad_token_id",
                    "bos_token_id",
                    "eos_token_id");

    public CLIPTextConfig {
        extra = extra == null ? new JsonObject() : extra.deepCopy();
        if (vocabSize <= 0
                || hiddenSize <= 0
                || intermediateSize <= 0
                || numHiddenLayers <= 0
                || numAttentionHeads <= 0
                || maxPositionEmbeddings <= 0) {
            throw new IllegalArgumentException(
                    "CLIPTextConfig sizes must be > 0: vocab_size "
                            + vocabSize
                            + ", hidden_size "
                            + hiddenSize
                            + ", intermediate_size "
                            + intermediateSize
                            + ", num_hidden_layers "
                            + numHiddenLayers
                            + ", num_attention_heads "
                            + numAttentionHeads
                            + ", max_position_embeddings "
                            + maxPositionEmbeddings);
        }
        ConfigLimits.cap("vocab_size", vocabSize, ConfigLimits.MAX_VOCAB);
        ConfigLimits.cap("hidden_size", hiddenSize, ConfigLimits.MAX_WIDTH);
        ConfigLimits.cap("intermediate_size", intermediateSize, ConfigLimits.MAX_INTERMEDIATE);
        ConfigLimits.cap("projection_dim", projectionDim, ConfigLimits.MAX_WIDTH);
        ConfigLimits.cap("num_hidden_layers", numHiddenLayers, ConfigLimits.MAX_LAYERS);
        ConfigLimits.cap("num_attention_heads", numAttentionHeads, ConfigLimits.MAX_HEADS);
        ConfigLimits.cap(
                "max_position_embeddings", maxPositionEmbeddings, ConfigLimits.MAX_POSITIONS);
        if (hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException(
                    "hidden_size "
                            + hiddenSize
                            + " is not a multiple of num_attention_heads "
                            + numAttentionHeads);
        }
    }

    /** openai/clip-vit-large-patch14's text tower: the SD 1.x text encoder (123 M parameters). */
    public static CLIPTextConfig clipVitLargePatch14() {
        return new CLIPTextConfig(
                49408,
                768,
                3072,
                768,
                12,
                12,
                77,
                "quick_gelu",
                1e-5f,
                0f,
                0.02f,
                1f,
                1,
                0,
                2,
                null);
    }

    /** Reads {@code config.json}; absent keys take transformers' defaults. */
    public static CLIPTextConfig read(Path path) throws IOException {
        return HfConfigs.read(path, "CLIP text config", CLIPTextConfig::fromJson);
    }

    /**
     * Builds the config from a parsed {@code config.json}: a text config, or a full {@code
     * CLIPConfig} whose {@code text_config} is used.
     */
    public static CLIPTextConfig fromJson(JsonObject o) {
        if (o.has("text_config") && o.get("text_config").isJsonObject()) {
            return fromJson(o.getAsJsonObject("text_config"));
        }
        JsonObject extra = HfConfigs.unmodelled(o, MODELLED);
        return new CLIPTextConfig(
                intOr(o, "vocab_size", 49408),
                intOr(o, "hidden_size", 512),
                intOr(o, "intermediate_size", 2048),
                intOr(o, "projection_dim", 512),
                intOr(o, "num_hidden_layers", 12),
                intOr(o, "num_attention_heads", 8),
                intOr(o, "max_position_embeddings", 77),
                o.has("hidden_act") ? o.get("hidden_act").getAsString() : "quick_gelu",
                floatOr(o, "layer_norm_eps", 1e-5f),
                floatOr(o, "attention_dropout", 0f),
                floatOr(o, "initializer_range", 0.02f),
                floatOr(o, "initializer_factor", 1f),
                intOr(o, "pad_token_id", 1),
                intOr(o, "bos_token_id", 49406),
                intOr(o, "eos_token_id", 49407),
                extra);
    }

    /** The {@code config.json} object. */
    public JsonObject toJson() {
        JsonObject o = extra.deepCopy();
        if (!o.has("model_type")) {
            o.addProperty("model_type", "clip_text_model");
        }
        if (!o.has("architectures")) {
            JsonArray a = new JsonArray();
            a.add("CLIPTextModel");
            o.add("architectures", a);
        }
        o.addProperty("vocab_size", vocabSize);
        o.addProperty("hidden_size", hiddenSize);
        o.addProperty("intermediate_size", intermediateSize);
        o.addProperty("projection_dim", projectionDim);
        o.addProperty("num_hidden_layers", numHiddenLayers);
        o.addProperty("num_attention_heads", numAttentionHeads);
        o.addProperty("max_position_embeddings", maxPositionEmbeddings);
        o.addProperty("hidden_act", hiddenAct);
        o.addProperty("layer_norm_eps", layerNormEps);
        o.addProperty("attention_dropout", attentionDropout);
        o.addProperty("initializer_range", initializerRange);
        o.addProperty("initializer_factor", initializerFactor);
        o.addProperty("pad_token_id", padTokenId);
        o.addProperty("bos_token_id", bosTokenId);
        o.addProperty("eos_token_id", eosTokenId);
        return o;
    }

    /** Writes {@code config.json} to {@code path}. */
    public void write(Path path) throws IOException {
        HfConfigs.write(path, toJson());
    }

    private static int intOr(JsonObject o, String key, int dflt) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsInt() : dflt;
    }

    private static float floatOr(JsonObject o, String key, float dflt) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsFloat() : dflt;
    }
}
