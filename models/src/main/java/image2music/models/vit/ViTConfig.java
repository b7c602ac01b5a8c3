package image2music.models.vit;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import image2music.models.nn.ConfigLimits;
import image2music.models.nn.HfConfigs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * HF's {@code ViTConfig}: the architecture, the labels ({@code id2label}) and the {@code
 * problem_type}, with transformers' defaults (those of google/vit-base-patch16-224). Keys this
 * record does not model are kept in {@code extra} and written back unchanged.
 *
 * @param labels label names by id ({@code id2label}; index = id)
 * @param problemType {@code multi_label_classification}, {@code single_label_classification},
 *     {@code regression}, or null (transformers then infers it from the labels' dtype)
 */
public record ViTConfig(
        int hiddenSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int intermediateSize,
        String hiddenAct,
        float hiddenDropoutProb,
        float attentionProbsDropoutProb,
        float initializerRange,
        float layerNormEps,
        int imageSize,
        int patchSize,
        int numChannels,
        boolean qkvBias,
        int encoderStride,
        List<String> labels,
        String problemType,
        JsonObject extra) {

    public static final String MULTI_LABEL = "multi_label_classification";
    public static final String SINGLE_LABEL = "single_label_classification";
    public static final String REGRESSION = "regression";

    private static final List<String> MODELLED =
            List.of(
                    "hidden_size",
                    "num_hidden_layers",
                    "num_attention_heads",
                    "intermediate_size",
                    "hidden_act",
                    "hidden_dropout_prob",
                    "attention_probs_dropout_prob",
                    "initializer_range",
                    "layer_norm_eps",
                    "image_size",
                    "patch_size",
                    "num_channels",
                    "qkv_bias",
                    "encoder_stride",
                    "id2label",
                    "label2id",
                    "num_labels",
                    "problem_type");

    public ViTConfig {
        labels = List.copyOf(labels);
        extra = extra == null ? new JsonObject() : extra.deepCopy();
        validate(
                hiddenSize,
                numHiddenLayers,
                numAttentionHeads,
                intermediateSize,
                imageSize,
                patchSize,
                numChannels,
                problemType);
    }

    private static void validate(
            int hidden,
            int layers,
            int heads,
            int inter,
            int image,
            int patch,
            int channels,
            String problemType) {
        if (hidden <= 0
                || layers <= 0
                || heads <= 0
                || inter <= 0
                || image <= 0
                || patch <= 0
                || channels <= 0) {
            throw new IllegalArgumentException(
                    "ViTConfig sizes must be > 0: hidden_size "
                            + hidden
                            + ", num_hidden_layers "
                            + layers
                            + ", num_attention_heads "
                            + heads
                            + ", intermediate_size "
                            + inter
                            + ", image_size "
                            + image
                            + ", patch_size "
                            + patch
                            + ", num_channels "
                            + channels);
        }
        ConfigLimits.cap("hidden_size", hidden, ConfigLimits.MAX_WIDTH);
        ConfigLimits.cap("num_hidden_layers", layers, ConfigLimits.MAX_LAYERS);
        ConfigLimits.cap("num_attention_heads", heads, ConfigLimits.MAX_HEADS);
        ConfigLimits.cap("intermediate_size", inter, ConfigLimits.MAX_INTERMEDIATE);
        ConfigLimits.cap("image_size", image, ConfigLimits.MAX_IMAGE_SIZE);
        ConfigLimits.cap("num_channels", channels, ConfigLimits.MAX_WIDTH);
        if (hidden % heads != 0) {
            throw new IllegalArgumentException(
                    "hidden_size " + hidden + " is not a multiple of num_attention_heads " + heads);
        }
        if (image % patch != 0) {
            throw new IllegalArgumentException(
                    "image_size " + image + " is not a multiple of patch_size " + patch);
        }
        if (problemType != null
                && !List.of(MULTI_LABEL, SINGLE_LABEL, REGRESSION).contains(problemType)) {
            throw new IllegalArgumentException("Unknown problem_type '" + problemType + "'");
        }
    }

    /** google/vit-base-patch16-224-in21k's architecture with the given labels. */
    public static ViTConfig base(List<String> labels, String problemType) {
        return new ViTConfig(
                768,
                12,
                12,
                3072,
                "gelu",
                0f,
                0f,
                0.02f,
                1e-12f,
                224,
                16,
                3,
                true,
                16,
                labels,
                problemType,
                null);
    }

    /** This config with other labels and problem type (a fresh classifier head). */
    public ViTConfig withLabels(List<String> newLabels, String newProblemType) {
        return new ViTConfig(
                hiddenSize,
                numHiddenLayers,
                numAttentionHeads,
                intermediateSize,
                hiddenAct,
                hiddenDropoutProb,
                attentionProbsDropoutProb,
                initializerRange,
                layerNormEps,
                imageSize,
                patchSize,
                numChannels,
                qkvBias,
                encoderStride,
                newLabels,
                newProblemType,
                extra);
    }

    /** Number of patches plus the CLS token. */
    public int sequenceLength() {
        int side = imageSize / patchSize;
        return side * side + 1;
    }

    /** HF's default labels {@code LABEL_0, LABEL_1} (PretrainedConfig's num_labels = 2). */
    private static List<String> defaultLabels(int n) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add("LABEL_" + i);
        }
        return l;
    }

    /** Reads {@code config.json}; absent keys take transformers' defaults. */
    public static ViTConfig read(Path path) throws IOException {
        return HfConfigs.read(path, "ViT config", ViTConfig::fromJson);
    }

    /** Builds the config from a parsed {@code config.json} object. */
    public static ViTConfig fromJson(JsonObject o) {
        List<String> labels;
        if (o.has("id2label") && o.get("id2label").isJsonObject()) {
            Map<Integer, String> byId = new TreeMap<>();
            for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("id2label").entrySet()) {
                byId.put(Integer.parseInt(e.getKey()), e.getValue().getAsString());
            }
            labels = new ArrayList<>(byId.values());
            int i = 0;
            for (int id : byId.keySet()) {
                if (id != i++) {
                    throw new IllegalArgumentException(
                            "id2label ids must be 0..n-1, got " + byId.keySet());
                }
            }
        } else {
            labels = defaultLabels(o.has("num_labels") ? o.get("num_labels").getAsInt() : 2);
        }
        JsonObject extra = HfConfigs.unmodelled(o, MODELLED);
        JsonElement pt = o.get("problem_type");
        return new ViTConfig(
                intOr(o, "hidden_size", 768),
                intOr(o, "num_hidden_layers", 12),
                intOr(o, "num_attention_heads", 12),
                intOr(o, "intermediate_size", 3072),
                o.has("hidden_act") ? o.get("hidden_act").getAsString() : "gelu",
                floatOr(o, "hidden_dropout_prob", 0f),
                floatOr(o, "attention_probs_dropout_prob", 0f),
                floatOr(o, "initializer_range", 0.02f),
                floatOr(o, "layer_norm_eps", 1e-12f),
                intOr(o, "image_size", 224),
                intOr(o, "patch_size", 16),
                intOr(o, "num_channels", 3),
                !o.has("qkv_bias") || o.get("qkv_bias").getAsBoolean(),
                intOr(o, "encoder_stride", 16),
                labels,
                pt == null || pt.isJsonNull() ? null : pt.getAsString(),
                extra);
    }

    /** The {@code config.json} object (as a ViTForImageClassification config). */
    public JsonObject toJson() {
        JsonObject o = extra.deepCopy();
        if (!o.has("model_type")) {
            o.addProperty("model_type", "vit");
        }
        if (!o.has("architectures")) {
            JsonArray a = new JsonArray();
            a.add("ViTForImageClassification");
            o.add("architectures", a);
        }
        o.addProperty("hidden_size", hiddenSize);
        o.addProperty("num_hidden_layers", numHiddenLayers);
        o.addProperty("num_attention_heads", numAttentionHeads);
        o.addProperty("intermediate_size", intermediateSize);
        o.addProperty("hidden_act", hiddenAct);
        o.addProperty("hidden_dropout_prob", hiddenDropoutProb);
        o.addProperty("attention_probs_dropout_prob", attentionProbsDropoutProb);
        o.addProperty("initializer_range", initializerRange);
        o.addProperty("layer_norm_eps", layerNormEps);
        o.addProperty("image_size", imageSize);
        o.addProperty("patch_size", patchSize);
        o.addProperty("num_channels", numChannels);
        o.addProperty("qkv_bias", qkvBias);
        o.addProperty("encoder_stride", encoderStride);
        JsonObject id2label = new JsonObject();
        JsonObject label2id = new JsonObject();
        for (int i = 0; i < labels.size(); i++) {
            id2label.addProperty(Integer.toString(i), labels.get(i));
            label2id.addProperty(labels.get(i), i);
        }
        o.add("id2label", id2label);
        o.add("label2id", label2id);
        if (problemType == null) {
            o.add("problem_type", JsonNull.INSTANCE);
        } else {
            o.addProperty("problem_type", problemType);
        }
        return o;
    }

    /** Writes {@code config.json} to {@code path}. */
    public void write(Path path) throws IOException {
        HfConfigs.write(path, toJson());
    }

    /** The keys of {@code config.json} this record does not model (a copy). */
    @Override
    public JsonObject extra() {
        return extra.deepCopy();
    }

    private static int intOr(JsonObject o, String key, int dflt) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsInt() : dflt;
    }

    private static float floatOr(JsonObject o, String key, float dflt) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsFloat() : dflt;
    }
}
