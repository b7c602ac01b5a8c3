package image2music.models.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import image2music.models.nn.HfBlock;

/**
 * HF {@code CLIPTextEmbeddings}: {@code token_embedding(ids) + position_embedding(0..L-1)}. The
 * {@code position_ids} buffer real checkpoints carry is just 0..max-1 and is not a parameter here.
 */
final class CLIPTextEmbeddings extends HfBlock {

    private final CLIPTextConfig config;
    private final EmbeddingTable tokenEmbedding;
    private final EmbeddingTable positionEmbedding;

    CLIPTextEmbeddings(CLIPTextConfig c) {
        this.config = c;
        float std = c.initializerRange() * c.initializerFactor();
        tokenEmbedding =
                child("token_embedding", new EmbeddingTable(c.vocabSize(), c.hiddenSize(), std));
        positionEmbedding =
                child(
                        "position_embedding",
                        new EmbeddingTable(c.maxPositionEmbeddings(), c.hiddenSize(), std));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.singletonOrThrow();
        Shape s = ids.getShape();
        if (s.dimension() != 2) {
            throw new IllegalArgumentException("Expected input ids [batch, length], got " + s);
        }
        NDArray tokens = tokenEmbedding.lookup(ps, ids, training);
        NDArray positions = positionEmbedding.firstRows(ps, ids, s.get(1), training);
        return new NDList(tokens.add(positions));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(config.hiddenSize())};
    }
}
