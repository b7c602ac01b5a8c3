package image2music.models.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import image2music.models.nn.HfBlock;
import image2music.models.nn.Linear;

/**
 * HF {@code ViTForImageClassification}: the backbone under {@code vit} (no pooler) and a {@code
 * classifier} Linear on the CLS token of the final-layernormed sequence.
 */
public final class ViTForImageClassification extends HfBlock {

    private final ViTConfig config;
    private final ViTModel vit;
    private final Linear classifier;

    /** A classifier for {@code config}'s labels. */
    public ViTForImageClassification(ViTConfig config) {
        if (config.labels().isEmpty()) {
            throw new IllegalArgumentException("A ViT classifier needs at least one label");
        }
        this.config = config;
        vit = child("vit", new ViTModel(config, false));
        classifier =
                child(
                        "classifier",
                        new Linear(
                                config.hiddenSize(),
                                config.labels().size(),
                                true,
                                config.initializerRange()));
    }

    /** The configuration. */
    public ViTConfig config() {
        return config;
    }

    /** Runs the model on normalised {@code pixels} [B, C, H, W]. */
    public ViTOutput run(
            ParameterStore ps,
            NDArray pixels,
            boolean training,
            boolean keepHiddenStates,
            boolean keepAttentions) {
        ViTOutput o = vit.run(ps, pixels, training, keepHiddenStates, keepAttentions);
        NDArray logits =
                call(classifier, ps, o.sequenceOutput().get(new NDIndex(":, 0, :")), training);
        return new ViTOutput(logits, o.sequenceOutput(), null, o.hiddenStates(), o.attentions());
    }

    /**
     * The loss transformers computes for this model's {@code problem_type}: BCE-with-logits (mean)
     * for multi-label ({@code labels} [B, n] of 0/1 floats), cross-entropy for single-label ({@code
     * labels} [B] class ids), MSE for regression. Without a problem type it is inferred as
     * transformers does: one label means regression, integer labels single-label, else multi-label.
     */
    public NDArray loss(NDArray logits, NDArray labels) {
        String type = config.problemType();
        if (type == null) {
            if (config.labels().size() == 1) {
                type = ViTConfig.REGRESSION;
            } else if (labels.getDataType().isInteger()) {
                type = ViTConfig.SINGLE_LABEL;
            } else {
                type = ViTConfig.MULTI_LABEL;
            }
        }
        return switch (type) {
            case ViTConfig.MULTI_LABEL ->
                    Losses.bceWithLogits(logits, labels.toType(DataType.FLOAT32, false));
            case ViTConfig.SINGLE_LABEL -> Losses.crossEntropy(logits, labels);
            case ViTConfig.REGRESSION ->
                    Losses.mse(logits.squeeze(), labels.toType(DataType.FLOAT32, false).squeeze());
            default -> throw new IllegalStateException("Unknown problem_type " + type);
        };
    }

    /** Input: pixels; output: logits. */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(run(ps, inputs.singletonOrThrow(), training, false, false).logits());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), config.labels().size())};
    }
}
