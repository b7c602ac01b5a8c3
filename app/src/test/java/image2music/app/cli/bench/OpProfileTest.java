package image2music.app.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import image2music.app.cli.CliRun;
import image2music.models.nn.Engines;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Per-operator self times from libtorch's profiler trace, and bench-diffusion's header. */
class OpProfileTest {

    @Test
    void selfTimeIsDurationLessCalleesPerThread() {
        // Thread 1: conv2d (100 µs) calls convolution (90), which calls mkldnn (80); then an add
        // (10) that starts as conv2d ends. Thread 2: an mm (50) at the same time.
        JsonArray events =
                JsonParser.parseString(
                                "[{\"name\":\"aten::conv2d\",\"ts\":0,\"dur\":100,\"tid\":1},"
                                        + "{\"name\":\"aten::convolution\",\"ts\":5,\"dur\":90,\"tid\":1},"
                                        + "{\"name\":\"aten::mkldnn_convolution\",\"ts\":10,\"dur\":80,\"tid\":1},"
                                        + "{\"name\":\"aten::add\",\"ts\":100,\"dur\":10,\"tid\":1},"
                                        + "{\"name\":\"aten::mm\",\"ts\":0,\"dur\":50,\"tid\":2}]")
                        .getAsJsonArray();
        Map<String, Double> self =
                OpProfile.shares(events).stream()
                        .collect(Collectors.toMap(OpProfile.Share::op, OpProfile.Share::selfMs));
        assertEquals(0.080, self.get("aten::mkldnn_convolution"), 1e-12);
        assertEquals(0.050, self.get("aten::mm"), 1e-12);
        assertEquals(0.010, self.get("aten::conv2d"), 1e-12);
        assertEquals(0.010, self.get("aten::convolution"), 1e-12);
        assertEquals(0.010, self.get("aten::add"), 1e-12);
        List<OpProfile.Share> shares = OpProfile.shares(events);
        assertEquals("aten::mkldnn_convolution", shares.get(0).op());
        assertEquals(80 / 160.0, shares.get(0).fraction(), 1e-12);
        assertEquals(
                "aten::mkldnn_convolution 50%, aten::mm 31%, other 19%",
                OpProfile.format(shares, 2));
    }

    @Test
    void aProfiledRunSeesItsOperators() throws Exception {
        try (NDManager m = Engines.newManager()) {
            NDArray a = m.randomNormal(new Shape(64, 64));
            List<OpProfile.Share> shares = OpProfile.of(() -> a.matMul(a).exp().toFloatArray());
            List<String> ops = shares.stream().map(OpProfile.Share::op).toList();
            assertTrue(ops.contains("aten::exp"), ops.toString());
            assertEquals(1.0, shares.stream().mapToDouble(OpProfile.Share::fraction).sum(), 1e-9);
        }
    }

    @Test
    void theBenchNamesTheCpuAndShowsWhereTheTimeGoes() {
        CliRun r =
                CliRun.of("bench-diffusion", "--only", "tiny-unet", "--runs", "1", "--warmup", "0");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("CPU: "), r.out());
        assertTrue(r.out().contains("precision float32"), r.out());
        assertTrue(r.out().contains("where the time goes: aten::"), r.out());
    }
}
