package image2music.models.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateDictTest {

    /** Names with underscores and digits, nested lists: what DJL's own naming mangles. */
    static final class Tree extends HfBlock {
        final ModuleList<Linear> layers = child("down_blocks", new ModuleList<>());
        final LayerNorm norm;

        Tree() {
            for (int i = 0; i < 11; i++) {
                layers.add(new Linear(2, 2, i % 2 == 0, 0.02f));
            }
            norm = child("conv_norm_out", new LayerNorm(2, 1e-5f));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
            return norm.forward(ps, layers.forward(ps, in, training), training);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] s) {
            return s;
        }
    }

    @Test
    void keysAreDottedHfNamesInRegistrationOrder() {
        List<String> keys = List.copyOf(StateDict.parameters(new Tree()).keySet());
        assertEquals("down_blocks.0.weight", keys.get(0));
        assertEquals("down_blocks.0.bias", keys.get(1));
        assertEquals("down_blocks.1.weight", keys.get(2));
        assertEquals("down_blocks.10.weight", keys.get(15));
        assertEquals("down_blocks.10.bias", keys.get(16));
        assertEquals(List.of("conv_norm_out.weight", "conv_norm_out.bias"), keys.subList(17, 19));
        assertEquals(19, keys.size());
    }

    @Test
    void loadCopiesValuesAndRejectsMismatchesInOneMessage() {
        try (NDManager m = Engines.newManager()) {
            Tree t = new Tree();
            t.initialize(m, DataType.FLOAT32);
            Map<String, NDArray> w = new LinkedHashMap<>();
            StateDict.parameters(t).forEach((k, p) -> w.put(k, p.getArray().add(1)));
            Map<String, NDArray> expected = new LinkedHashMap<>(w);
            StateDict.load(new Tree(), w, LoadRules.strict(), m, DataType.FLOAT32, "x");
            Tree u = new Tree();
            StateDict.load(u, w, LoadRules.strict(), m, DataType.FLOAT32, "x");
            StateDict.parameters(u)
                    .forEach(
                            (k, p) ->
                                    assertArrayEquals(
                                            expected.get(k).toFloatArray(),
                                            p.getArray().toFloatArray(),
                                            k));

            w.remove("down_blocks.3.weight");
            w.put("down_blocks.4.weight", m.zeros(new Shape(3, 2)));
            w.put("pooler.dense.weight", m.zeros(new Shape(2)));
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    StateDict.load(
                                            new Tree(),
                                            w,
                                            LoadRules.strict(),
                                            m,
                                            DataType.FLOAT32,
                                            "f.safetensors"));
            String msg = e.getMessage();
            assertTrue(msg.startsWith("f.safetensors: weights do not fit Tree"), msg);
            assertTrue(msg.contains("1 missing: down_blocks.3.weight"), msg);
            assertTrue(msg.contains("1 unexpected: pooler.dense.weight"), msg);
            assertTrue(msg.contains("down_blocks.4.weight (file (3, 2), model (2, 2))"), msg);

            LoadRules lenient =
                    new LoadRules(
                            k -> k,
                            k -> k.equals("down_blocks.3.weight"),
                            k -> k.startsWith("pooler."));
            w.put("down_blocks.4.weight", m.zeros(new Shape(2, 2)));
            List<String> left = StateDict.load(new Tree(), w, lenient, m, DataType.FLOAT32, "f");
            assertEquals(List.of("down_blocks.3.weight"), left);
        }
    }
}
