package image2music.models.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import image2music.models.nn.HfBlock;

/**
 * {@code torch.nn.Embedding}: a {@code weight} table [count, dim] whose rows are looked up by
 * integer ids; starts N(0, std²) as HF's CLIP initialisation does.
 */
final class EmbeddingTable extends HfBlock {

    private final long count;
    private final long dim;
    private final Parameter weight;

    EmbeddingTable(long count, long dim, float initStd) {
        this.count = count;
        this.dim = dim;
        weight = param("weight", Parameter.Type.WEIGHT, new Shape(count, dim));
        weight.setInitializer(new NormalInitializer(initStd));
    }

    /** The rows for {@code ids} (any integer shape S), as S + [dim]. */
    NDArray lookup(ParameterStore ps, NDArray ids, boolean training) {
        NDArray w = value(ps, weight, ids, training);
        return ai.djl.nn.core.Embedding.embedding(ids, w, ai.djl.ndarray.types.SparseFormat.DENSE)
                .singletonOrThrow();
    }

    /** The first {@code n} rows [n, dim] (positions 0..n-1). */
    NDArray firstRows(ParameterStore ps, NDArray like, long n, boolean training) {
        if (n > count) {
            throw new IllegalArgumentException(
                    "Sequence length " + n + " exceeds the " + count + " position embeddings");
        }
        return value(ps, weight, like, training).get(new ai.djl.ndarray.index.NDIndex(":{}", n));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(lookup(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(dim)};
    }
}
