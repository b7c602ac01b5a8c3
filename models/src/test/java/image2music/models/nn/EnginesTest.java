package image2music.models.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class EnginesTest {

    @Test
    void startsPyTorchOfflineAndComputesOnTheChosenDevice() {
        assertEquals("PyTorch", Engines.engine().getEngineName());
        assertEquals("true", System.getProperty("ai.djl.offline"));
        try (NDManager m = Engines.newManager()) {
            NDArray a = m.create(new float[] {1, 2, 3});
            assertEquals(Engines.device(), a.getDevice());
            assertEquals(14f, a.mul(a).sum().getFloat(), 0f);
        }
    }

    @Test
    void repeatedConfigurationWithTheSameSettingsReturnsTheRunningEngine() {
        assertSame(Engines.engine(), Engines.engine());
    }
}
