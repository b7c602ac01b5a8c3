package image2music.models.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import image2music.models.Fixtures;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TorchBinFile} against files written by {@code torch.save} (see the fixture script). */
class TorchBinFileTest {

    @Test
    void readsEveryTensorKindOfATorchSaveFile() throws IOException {
        JsonObject expected = HfConfigs.read(Fixtures.path("torch_bin/tensors.json"));
        try (NDManager m = Engines.newManager()) {
            Map<String, NDArray> read =
                    TorchBinFile.read(Fixtures.path("torch_bin/tensors.bin"), m);
            assertEquals(expected.keySet(), read.keySet());
            for (Map.Entry<String, JsonElement> e : expected.entrySet()) {
                JsonObject want = e.getValue().getAsJsonObject();
                NDArray got = read.get(e.getKey());
                long[] shape = new long[want.getAsJsonArray("shape").size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = want.getAsJsonArray("shape").get(i).getAsLong();
                }
                assertArrayEquals(shape, got.getShape().getShape(), e.getKey() + " shape");
                DataType type =
                        switch (want.get("dtype").getAsString()) {
                            case "float16" -> DataType.FLOAT16;
                            case "int64" -> DataType.INT64;
                            default -> DataType.FLOAT32; // float32, and bfloat16 widened
                        };
                assertEquals(type, got.getDataType(), e.getKey() + " dtype");
                double[] values = got.toType(DataType.FLOAT64, false).toDoubleArray();
                double[] wanted = new double[values.length];
                for (int i = 0; i < wanted.length; i++) {
                    wanted[i] = want.getAsJsonArray("values").get(i).getAsDouble();
                }
                assertArrayEquals(wanted, values, 0.0, e.getKey() + " values");
            }
        }
    }

    @Test
    void binLoadsTheSameWeightsAsSafetensors() throws IOException {
        try (NDManager m = Engines.newManager()) {
            Map<String, NDArray> bin =
                    TorchBinFile.read(Fixtures.path("torch_bin/clip_text_tiny.bin"), m);
            Map<String, NDArray> st =
                    SafetensorsFile.read(Fixtures.path("hf/clip_text_tiny/model.safetensors"), m);
            assertEquals(st.keySet(), bin.keySet());
            for (String k : st.keySet()) {
                assertEquals(st.get(k), bin.get(k), k);
            }
        }
    }

    @Test
    void refusesPickledCode(@TempDir Path dir) throws IOException {
        // GLOBAL os.system, then a call with one string argument: what a malicious file does.
        byte[] pickle =
                "\u0080\u0002cos\nsystem\nX\u0007\u0000\u0000\u0000echo hi\u0085R."
                        .getBytes(StandardCharsets.ISO_8859_1);
        Path file = dir.resolve("evil.bin");
        try (OutputStream out = Files.newOutputStream(file);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("evil/data.pkl"));
            zip.write(pickle);
            zip.closeEntry();
        }
        try (NDManager m = Engines.newManager()) {
            IOException e = assertThrows(IOException.class, () -> TorchBinFile.read(file, m));
            assertTrue(e.getMessage().contains("os.system"), e.getMessage());
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        }
    }

    @Test
    void namesTheFileThatIsNotAZip(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("pytorch_model.bin");
        Files.writeString(file, "not a checkpoint");
        try (NDManager m = Engines.newManager()) {
            IOException e = assertThrows(IOException.class, () -> TorchBinFile.read(file, m));
            assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        }
    }
}
