package image2music.models.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import image2music.models.Fixtures;
import image2music.models.nn.HfConfigs;
import image2music.models.nn.StateDict;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Full-size key manifests (fixtures/hf/manifests) compared with unallocated models. */
final class Manifests {

    private Manifests() {}

    static JsonObject read(String name) throws IOException {
        return HfConfigs.read(Fixtures.path("hf/manifests/" + name));
    }

    /**
     * Asserts that {@code model}'s keys, order and shapes are the manifest's, and that building it
     * allocated no parameter (shapes come from construction alone).
     */
    static void assertMatches(Block model, JsonObject manifest) {
        List<String> expected = new ArrayList<>();
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (JsonElement e : manifest.getAsJsonArray("tensors")) {
            JsonObject t = e.getAsJsonObject();
            JsonArray s = t.getAsJsonArray("shape");
            long[] dims = new long[s.size()];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = s.get(i).getAsLong();
            }
            expected.add(t.get("name").getAsString());
            shapes.put(t.get("name").getAsString(), new Shape(dims));
        }
        Map<String, Parameter> params = StateDict.parameters(model);
        assertEquals(expected, List.copyOf(params.keySet()));
        params.forEach(
                (k, p) -> {
                    assertEquals(shapes.get(k), p.getShape(), k);
                    assertFalse(p.isInitialized(), k + " was allocated");
                });
        assertEquals(manifest.get("num_parameters").getAsLong(), StateDict.parameterCount(model));
    }
}
