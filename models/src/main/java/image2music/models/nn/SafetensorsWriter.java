package image2music.models.nn;

import ai.djl.ndarray.NDArray;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import image2music.core.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes tensors as a safetensors file, atomically, in the map's iteration order (pass the
 * state-dict order to get HF's key order), with {@code "__metadata__": {"format": "pt"}} by default
 * (transformers refuses files without it) and the header padded with spaces to a multiple of 8.
 */
public final class SafetensorsWriter {

    private SafetensorsWriter() {}

    /** Writes {@code tensors} with metadata {@code {"format": "pt"}}. */
    public static void write(Path path, Map<String, NDArray> tensors) throws IOException {
        write(path, tensors, Map.of("format", "pt"));
    }

    /** Writes {@code tensors} with the given {@code __metadata__} entries. */
    public static void write(Path path, Map<String, NDArray> tensors, Map<String, String> metadata)
            throws IOException {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new IOException(path + ": safetensors writing needs a little-endian machine");
        }
        JsonObject header = new JsonObject();
        if (!metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            metadata.forEach(meta::addProperty);
            header.add("__metadata__", meta);
        }
        long offset = 0;
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            NDArray a = e.getValue();
            SafetensorsDType dtype = SafetensorsDType.forWriting(a.getDataType());
            long bytes = a.size() * dtype.bytes();
            JsonObject entry = new JsonObject();
            entry.addProperty("dtype", dtype.name());
            JsonArray shape = new JsonArray();
            for (long d : a.getShape().getShape()) {
                shape.add(d);
            }
            entry.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offsets.add(offset + bytes);
            entry.add("data_offsets", offsets);
            header.add(e.getKey(), entry);
            offset += bytes;
        }
        byte[] json = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        AtomicFiles.write(path, out -> writeBody(out, head, tensors));
    }

    private static void writeBody(OutputStream out, ByteBuffer head, Map<String, NDArray> tensors)
            throws IOException {
        WritableByteChannel ch = Channels.newChannel(out);
        writeAll(ch, head);
        for (NDArray a : tensors.values()) {
            NDArray cpu = a.getDevice().isGpu() ? a.toDevice(ai.djl.Device.cpu(), true) : a;
            // toByteBuffer gives native order, which is the file's little-endian on x86/ARM.
            writeAll(ch, cpu.toByteBuffer());
            if (cpu != a) {
                cpu.close();
            }
        }
    }

    private static void writeAll(WritableByteChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
