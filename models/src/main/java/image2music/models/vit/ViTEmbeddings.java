package image2music.models.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import image2music.models.nn.Conv2d;
import image2music.models.nn.HfBlock;

/**
 * HF {@code ViTEmbeddings}: patch projection (a conv with kernel = stride = patch), CLS token in
 * front, learned position embeddings added; tokens are CLS then patches in row-major order.
 */
public final class ViTEmbeddings extends HfBlock {

    private final ViTConfig config;
    private final Parameter clsToken;
    private final Parameter positionEmbeddings;
    private final PatchEmbeddings patchEmbeddings;

    ViTEmbeddings(ViTConfig c) {
        this.config = c;
        clsToken = param("cls_token", Parameter.Type.WEIGHT, new Shape(1, 1, c.hiddenSize()));
        clsToken.setInitializer(new NormalInitializer(c.initializerRange()));
        positionEmbeddings =
                param(
                        "position_embeddings",
                        Parameter.Type.WEIGHT,
                        new Shape(1, c.sequenceLength(), c.hiddenSize()));
        positionEmbeddings.setInitializer(new NormalInitializer(c.initializerRange()));
        patchEmbeddings = child("patch_embeddings", new PatchEmbeddings(c));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray pixels = inputs.singletonOrThrow();
        Shape s = pixels.getShape();
        if (s.dimension() != 4 || s.get(1) != config.numChannels()) {
            throw new IllegalArgumentException(
                    "Expected pixel values [batch, "
                            + config.numChannels()
                            + ", "
                            + config.imageSize()
                            + ", "
                            + config.imageSize()
                            + "], got "
                            + s);
        }
        if (s.get(2) != config.imageSize() || s.get(3) != config.imageSize()) {
            throw new IllegalArgumentException(
                    "Input image size ("
                            + s.get(2)
                            + "*"
                            + s.get(3)
                            + ") doesn't match model ("
                            + config.imageSize()
                            + "*"
                            + config.imageSize()
                            + ")");
        }
        NDArray patches = call(patchEmbeddings, ps, pixels, training);
        long batch = s.get(0);
        NDArray cls =
                intoStep(
                        ps,
                        value(ps, clsToken, pixels, training)
                                .broadcast(batch, 1, config.hiddenSize()));
        NDArray x = cls.concat(patches, 1).add(value(ps, positionEmbeddings, pixels, training));
        return new NDList(ViTLayer.dropout(x, config.hiddenDropoutProb(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {
            new Shape(inputShapes[0].get(0), config.sequenceLength(), config.hiddenSize())
        };
    }

    /** HF {@code ViTPatchEmbeddings}: the {@code projection} conv, flattened to tokens. */
    static final class PatchEmbeddings extends HfBlock {

        private final ViTConfig config;
        private final Conv2d projection;

        PatchEmbeddings(ViTConfig c) {
            this.config = c;
            projection =
                    child(
                            "projection",
                            new Conv2d(
                                    c.numChannels(),
                                    c.hiddenSize(),
                                    c.patchSize(),
                                    c.patchSize(),
                                    0,
                                    c.initializerRange()));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
            NDArray y = call(projection, ps, inputs.singletonOrThrow(), training);
            Shape s = y.getShape();
            // [B, C, h, w] -> [B, h*w, C]
            return new NDList(
                    y.reshape(s.get(0), s.get(1), s.get(2) * s.get(3)).transpose(0, 2, 1));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {
                new Shape(inputShapes[0].get(0), config.sequenceLength() - 1, config.hiddenSize())
            };
        }
    }
}
