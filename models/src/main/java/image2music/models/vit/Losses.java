package image2music.models.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import image2music.models.nn.Tensors;

/** The classification losses of transformers' heads, as PyTorch defines them (mean reduction). */
public final class Losses {

    private Losses() {}

    /**
     * {@code BCEWithLogitsLoss}: mean of max(x, 0) − x·y + log(1 + e^−|x|), the numerically stable
     * form PyTorch uses.
     */
    public static NDArray bceWithLogits(NDArray logits, NDArray targets) {
        NDArray stable = logits.abs().neg().exp().add(1f).log();
        return Tensors.maximum(logits, 0).sub(logits.mul(targets)).add(stable).mean();
    }

    /** {@code CrossEntropyLoss} over the last axis with integer class ids {@code classes} [B]. */
    public static NDArray crossEntropy(NDArray logits, NDArray classes) {
        long n = logits.getShape().get(logits.getShape().dimension() - 1);
        NDArray oneHot = classes.toType(DataType.INT64, false).oneHot((int) n);
        return logits.logSoftmax(-1).mul(oneHot).sum(new int[] {-1}).mean().neg();
    }

    /** {@code MSELoss}. */
    public static NDArray mse(NDArray predictions, NDArray targets) {
        return predictions.sub(targets).square().mean();
    }
}
