package image2music.models.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

    @TempDir Path dir;

    /**
     * A same-type, same-device "copy" in DJL's PyTorch engine ({@code toType(t, true)}) aliases its
     * source; an array loaded from a file must therefore own libtorch memory, or whatever was
     * derived from it reads freed memory once the loaded array is closed and its Java buffer
     * collected (parameters turned to garbage after a checkpoint load).
     */
    @Test
    void arraysDerivedFromLoadedOnesOutliveThem() throws IOException {
        float[] values = new float[4096];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.25f;
        }
        Path f = dir.resolve("big.safetensors");
        try (NDManager m = Engines.newManager()) {
            SafetensorsWriter.write(f, Map.of("w", m.create(values)));
            NDArray kept;
            try (NDManager scratch = m.newSubManager()) {
                NDArray loaded = SafetensorsFile.read(f, scratch).get("w");
                kept = loaded.toDevice(m.getDevice(), true).toType(DataType.FLOAT32, true);
                kept.attach(m);
            }
            for (int i = 0; i < 5; i++) {
                System.gc();
                // Reuse freed native memory, as later direct buffers would.
                ByteBuffer.allocateDirect(values.length * 4).putFloat(0, -1f);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            assertArrayEquals(values, kept.toFloatArray());
        }
    }

    @Test
    void roundTripKeepsValuesTypesShapesAndKeyOrder() throws IOException {
        try (NDManager m = Engines.newManager()) {
            Map<String, NDArray> t = new LinkedHashMap<>();
            t.put(
                    "z.weight",
                    m.create(new float[] {1.5f, -2f, 3.25f, 1e-30f, 7f, 8f}, new Shape(2, 3)));
            t.put("a.ids", m.create(new long[] {Long.MAX_VALUE, -1, 42}));
            t.put("m.half", m.create(new float[] {0.5f, -1.25f}).toType(DataType.FLOAT16, false));
            t.put("scalar", m.create(3f));
            Path f = dir.resolve("t.safetensors");
            SafetensorsWriter.write(f, t);
            try (SafetensorsFile r = SafetensorsFile.open(f)) {
                assertEquals(
                        List.of("z.weight", "a.ids", "m.half", "scalar"),
                        List.copyOf(r.tensors().keySet()));
                assertEquals(Map.of("format", "pt"), r.metadata());
                Map<String, NDArray> back = r.loadAll(m);
                assertArrayEquals(
                        t.get("z.weight").toFloatArray(), back.get("z.weight").toFloatArray());
                assertEquals(new Shape(2, 3), back.get("z.weight").getShape());
                assertArrayEquals(t.get("a.ids").toLongArray(), back.get("a.ids").toLongArray());
                assertEquals(DataType.FLOAT16, back.get("m.half").getDataType());
                assertArrayEquals(
                        new float[] {0.5f, -1.25f},
                        back.get("m.half").toType(DataType.FLOAT32, false).toFloatArray());
                assertEquals(new Shape(), back.get("scalar").getShape());
            }
        }
    }

    @Test
    void headerIsHfStyleJsonPaddedToEightBytes() throws IOException {
        try (NDManager m = Engines.newManager()) {
            Path f = dir.resolve("h.safetensors");
            SafetensorsWriter.write(f, Map.of("w", m.create(new float[] {1, 2, 3})));
            byte[] bytes = Files.readAllBytes(f);
            long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertEquals(0, n % 8);
            assertEquals(8 + n + 12, bytes.length);
            String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
            JsonObject o = JsonParser.parseString(header).getAsJsonObject();
            assertEquals("pt", o.getAsJsonObject("__metadata__").get("format").getAsString());
            JsonObject w = o.getAsJsonObject("w");
            assertEquals("F32", w.get("dtype").getAsString());
            assertEquals("[3]", w.get("shape").toString());
            assertEquals("[0,12]", w.get("data_offsets").toString());
            assertTrue(header.startsWith("{\"__metadata__\""));
        }
    }

    @Test
    void readsBf16AndI16AsWiderTypes() throws IOException {
        // bf16 is the top half of an f32: 1.0 = 0x3F80, -2.5 = 0xC020
        ByteBuffer data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort((short) 0x3F80)
                .putShort((short) 0xC020)
                .putShort((short) -7)
                .putShort((short) 300);
        Path f =
                handWritten(
                        "{\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                                + "\"s\":{\"dtype\":\"I16\",\"shape\":[2],\"data_offsets\":[4,8]}}",
                        data.array());
        try (NDManager m = Engines.newManager()) {
            Map<String, NDArray> t = SafetensorsFile.read(f, m);
            assertEquals(DataType.FLOAT32, t.get("b").getDataType());
            assertArrayEquals(new float[] {1f, -2.5f}, t.get("b").toFloatArray());
            assertEquals(DataType.INT32, t.get("s").getDataType());
            assertArrayEquals(new int[] {-7, 300}, t.get("s").toIntArray());
        }
    }

    @Test
    void corruptFilesFailNamingTheFileAndProblem() throws IOException {
        Path wrongSize =
                handWritten(
                        "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}",
                        new byte[8]);
        IOException e = assertThrows(IOException.class, () -> SafetensorsFile.open(wrongSize));
        assertTrue(e.getMessage().contains(wrongSize.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("'w'"), e.getMessage());

        Path outside =
                handWritten(
                        "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}",
                        new byte[8]);
        assertTrue(
                assertThrows(IOException.class, () -> SafetensorsFile.open(outside))
                        .getMessage()
                        .contains("outside"));

        Path badType =
                handWritten(
                        "{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}",
                        new byte[1]);
        assertTrue(
                assertThrows(IOException.class, () -> SafetensorsFile.open(badType))
                        .getMessage()
                        .contains("unsupported dtype F8_E4M3"));

        Path tooShort = dir.resolve("short.safetensors");
        Files.write(tooShort, new byte[] {1, 2, 3});
        assertThrows(IOException.class, () -> SafetensorsFile.open(tooShort));
    }

    private Path handWritten(String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b =
                ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        Path f = Files.createTempFile(dir, "hand", ".safetensors");
        Files.write(f, b.array());
        return f;
    }
}
