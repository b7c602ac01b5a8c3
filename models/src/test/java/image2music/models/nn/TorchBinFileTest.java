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

    /** A torch.save-style zip: {@code w/data.pkl} = {@code pickle}, plus storage entries. */
    private static Path zip(Path file, byte[] pickle, Map<String, byte[]> storages)
            throws IOException {
        try (OutputStream out = Files.newOutputStream(file);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("w/data.pkl"));
            zip.write(pickle);
            zip.closeEntry();
            for (Map.Entry<String, byte[]> e : storages.entrySet()) {
                zip.putNextEntry(new ZipEntry("w/data/" + e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void assertRefused(Path file, String why) {
        try (NDManager m = Engines.newManager()) {
            IOException e = assertThrows(IOException.class, () -> TorchBinFile.read(file, m));
            assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
            assertTrue(e.getMessage().contains(why), e.getMessage());
        }
    }

    @Test
    void refusesAClassNamedByTheInstOpcodeOutsideTheAllowList(@TempDir Path dir)
            throws IOException {
        // MARK, one string argument, INST os.system: the protocol-0 spelling of a call.
        byte[] pickle = latin1("(X\u0007\u0000\u0000\u0000echo hiios\nsystem\n.");
        assertRefused(zip(dir.resolve("inst.bin"), pickle, Map.of()), "os.system");
    }

    @Test
    void refusesAStringClaimingMoreBytesThanThePickleHas(@TempDir Path dir) throws IOException {
        // BINUNICODE claiming 2 GB, in a 13-byte pickle: refused before anything is allocated.
        byte[] pickle = latin1("\u0080\u0002X\u00ff\u00ff\u00ff\u007fabc.");
        assertRefused(zip(dir.resolve("huge.bin"), pickle, Map.of()), "claims 2147483647 bytes");
    }

    @Test
    void refusesDeepNestingWithAnErrorNotAStackOverflow(@TempDir Path dir) throws IOException {
        int depth = 200_000;
        StringBuilder p = new StringBuilder("\u0080\u0002}");
        for (int i = 0; i < depth; i++) {
            p.append("X\u0001\u0000\u0000\u0000a}");
        }
        p.append("s".repeat(depth)).append('.');
        assertRefused(zip(dir.resolve("deep.bin"), latin1(p.toString()), Map.of()), "nested");

        // A deeply nested list used as a dict key: hashing it recursed until the stack ran out.
        StringBuilder k = new StringBuilder("\u0080\u0002}");
        k.append("]".repeat(depth)).append("a".repeat(depth - 1)).append("K\u0001s.");
        assertRefused(zip(dir.resolve("key.bin"), latin1(k.toString()), Map.of()), "nested");
    }

    @Test
    void refusesATensorViewLargerThanItsStorage(@TempDir Path dir) throws IOException {
        // w = _rebuild_tensor_v2(storage of 1 float, 0, (100000, 100000), (0, 0), False, ())
        String pickle =
                "\u0080\u0002}X\u0001\u0000\u0000\u0000w"
                        + "ctorch._utils\n_rebuild_tensor_v2\n("
                        + "(X\u0007\u0000\u0000\u0000storagectorch\nFloatStorage\n"
                        + "X\u0001\u0000\u0000\u00000X\u0003\u0000\u0000\u0000cpuK\u0001tQ"
                        + "K\u0000"
                        + "J\u00a0\u0086\u0001\u0000J\u00a0\u0086\u0001\u0000\u0086"
                        + "K\u0000K\u0000\u0086"
                        + "\u0089)tRs.";
        Path file =
                zip(dir.resolve("wide.bin"), latin1(pickle), Map.of("0", new byte[] {0, 0, 0, 0}));
        assertRefused(file, "larger than its storage");
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
