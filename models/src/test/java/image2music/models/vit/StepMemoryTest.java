package image2music.models.vit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import image2music.models.nn.Engines;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Steps run in a sub-manager leave nothing behind in the model's or the input's manager. */
class StepMemoryTest {

    @Test
    void forwardAndBackwardStepsDoNotGrowLongLivedManagers() {
        ViTConfig c =
                new ViTConfig(
                        16,
                        2,
                        2,
                        32,
                        "gelu",
                        0.1f,
                        0.1f,
                        0.02f,
                        1e-12f,
                        16,
                        8,
                        3,
                        true,
                        8,
                        List.of("a", "b"),
                        ViTConfig.MULTI_LABEL,
                        null);
        try (NDManager modelManager = Engines.newManager();
                NDManager data = Engines.newManager()) {
            ViTForImageClassification model = new ViTForImageClassification(c);
            model.initialize(modelManager, DataType.FLOAT32);
            NDArray x = data.randomNormal(new Shape(2, 3, 16, 16));
            NDArray y = data.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
            int modelArrays = modelManager.getManagedArrays().size();
            int dataArrays = data.getManagedArrays().size();
            for (int i = 0; i < 5; i++) {
                try (NDManager step = modelManager.newSubManager()) {
                    ParameterStore ps = new ParameterStore(step, false);
                    model.run(ps, x, false, true, true).logits().toFloatArray();
                    try (GradientCollector gc = Engines.engine().newGradientCollector()) {
                        gc.backward(model.loss(model.run(ps, x, true, false, false).logits(), y));
                    }
                }
            }
            assertEquals(modelArrays, modelManager.getManagedArrays().size(), "model manager");
            assertEquals(dataArrays, data.getManagedArrays().size(), "input manager");
        }
    }
}
