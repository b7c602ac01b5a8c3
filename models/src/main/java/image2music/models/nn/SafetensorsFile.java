package image2music.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A safetensors file opened for reading: the header is parsed at once, tensor data is memory-mapped
 * and copied into native arrays only when asked for, one tensor at a time, so multi-gigabyte
 * checkpoints load without holding the file in the Java heap.
 *
 * <p>Format: a little-endian u64 header length N, N bytes of UTF-8 JSON ({@code __metadata__} plus
 * one {@code {dtype, shape, data_offsets}} entry per tensor), then the raw little-endian data. BF16
 * becomes F32 and I16 becomes I32 on load (see {@link SafetensorsDType}).
 */
public final class SafetensorsFile implements AutoCloseable {

    /** Headers beyond this are refused as corrupt (real ones are well under 1 MB). */
    private static final long MAX_HEADER_BYTES = 100L << 20;

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, String> metadata;
    private final Map<String, TensorInfo> tensors;

    private SafetensorsFile(
            Path path,
            FileChannel channel,
            long dataStart,
            Map<String, String> metadata,
            Map<String, TensorInfo> tensors) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.metadata = metadata;
        this.tensors = tensors;
    }

    /** Opens {@code path} and parses its header. */
    public static SafetensorsFile open(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            long size = ch.size();
            if (size < 8) {
                throw corrupt(path, "file of " + size + " bytes is too short for a header");
            }
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, 0);
            long headerBytes = len.getLong(0);
            if (headerBytes < 2 || headerBytes > MAX_HEADER_BYTES || 8 + headerBytes > size) {
                throw corrupt(path, "header length " + headerBytes + " does not fit the file");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerBytes);
            readFully(ch, header, 8);
            String json = new String(header.array(), StandardCharsets.UTF_8);
            long dataBytes = size - 8 - headerBytes;
            SafetensorsFile f = parse(path, ch, 8 + headerBytes, dataBytes, json);
            return f;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static SafetensorsFile parse(
            Path path, FileChannel ch, long dataStart, long dataBytes, String json)
            throws IOException {
        JsonObject root;
        try {
            root = JsonParser.parseString(json).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw corrupt(path, "header is not a JSON object: " + e.getMessage());
        }
        Map<String, String> meta = new LinkedHashMap<>();
        List<TensorInfo> list = new ArrayList<>();
        for (Map.Entry<String, JsonElement> e : root.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                try {
                    for (Map.Entry<String, JsonElement> m :
                            e.getValue().getAsJsonObject().entrySet()) {
                        meta.put(m.getKey(), m.getValue().getAsString());
                    }
                } catch (IllegalStateException | UnsupportedOperationException e2) {
                    throw corrupt(path, "__metadata__ is not an object of strings");
                }
                continue;
            }
            list.add(tensorInfo(path, e.getKey(), e.getValue(), dataBytes));
        }
        // HF writers store tensors in state_dict order; the data offsets keep that order even
        // when a writer sorts the header keys.
        list.sort(Comparator.comparingLong(TensorInfo::begin));
        Map<String, TensorInfo> byName = new LinkedHashMap<>();
        for (TensorInfo t : list) {
            byName.put(t.name(), t);
        }
        return new SafetensorsFile(
                path,
                ch,
                dataStart,
                Collections.unmodifiableMap(meta),
                Collections.unmodifiableMap(byName));
    }

    private static TensorInfo tensorInfo(Path path, String name, JsonElement el, long dataBytes)
            throws IOException {
        try {
            JsonObject o = el.getAsJsonObject();
            String dt = o.get("dtype").getAsString();
            SafetensorsDType dtype;
            try {
                dtype = SafetensorsDType.valueOf(dt);
            } catch (IllegalArgumentException e) {
                throw corrupt(path, "tensor '" + name + "' has unsupported dtype " + dt);
            }
            JsonArray s = o.getAsJsonArray("shape");
            long[] dims = new long[s.size()];
            long count = 1;
            for (int i = 0; i < dims.length; i++) {
                dims[i] = s.get(i).getAsLong();
                if (dims[i] < 0) {
                    throw corrupt(path, "tensor '" + name + "' has a negative dimension");
                }
                count = Math.multiplyExact(count, dims[i]);
            }
            JsonArray off = o.getAsJsonArray("data_offsets");
            long begin = off.get(0).getAsLong();
            long end = off.get(1).getAsLong();
            if (begin < 0 || end < begin || end > dataBytes) {
                throw corrupt(
                        path,
                        "tensor '"
                                + name
                                + "' data_offsets ["
                                + begin
                                + ", "
                                + end
                                + "] lie outside the "
                                + dataBytes
                                + " data bytes");
            }
            if (end - begin != Math.multiplyExact(count, (long) dtype.bytes())) {
                throw corrupt(
                        path,
                        "tensor '"
                                + name
                                + "' has "
                                + (end - begin)
                                + " bytes but shape "
                                + new Shape(dims)
                                + " of "
                                + dtype
                                + " needs "
                                + count * dtype.bytes());
            }
            return new TensorInfo(name, dtype, new Shape(dims), begin, end);
        } catch (NullPointerException
                | IllegalStateException
                | UnsupportedOperationException
                | ClassCastException
                | NumberFormatException
                | IndexOutOfBoundsException e) {
            throw corrupt(path, "tensor '" + name + "' has a malformed header entry");
        } catch (ArithmeticException e) {
            throw corrupt(path, "tensor '" + name + "' has a shape too large to address");
        }
    }

    /** The file this was opened from. */
    public Path path() {
        return path;
    }

    /** The {@code __metadata__} map (empty when absent). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The tensors in file order (the writer's state-dict order). */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /** Loads tensor {@code name} into {@code manager}; BF16 becomes F32, I16 becomes I32. */
    public NDArray load(String name, NDManager manager) throws IOException {
        TensorInfo t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException(path + ": no tensor named '" + name + "'");
        }
        long n = t.byteCount();
        if (n > Integer.MAX_VALUE) {
            throw new IOException(
                    path + ": tensor '" + name + "' of " + n + " bytes exceeds the 2 GiB limit");
        }
        ByteBuffer src =
                channel.map(FileChannel.MapMode.READ_ONLY, dataStart + t.begin(), n)
                        .order(ByteOrder.LITTLE_ENDIAN);
        DataType type = t.dtype().loadedAs();
        long count = t.shape().size();
        ByteBuffer dst =
                ByteBuffer.allocateDirect(Math.toIntExact(count * type.getNumOfBytes()))
                        .order(ByteOrder.nativeOrder());
        switch (t.dtype()) {
            case BF16 -> {
                for (long i = 0; i < count; i++) {
                    dst.putInt((src.getShort() & 0xFFFF) << 16);
                }
            }
            case I16 -> {
                for (long i = 0; i < count; i++) {
                    dst.putInt(src.getShort());
                }
            }
            default -> {
                if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
                    throw new IOException("safetensors loading needs a little-endian machine");
                }
                // Copied rather than wrapped: a native array over the read-only mapping would
                // crash on the first in-place update (an optimiser step).
                dst.put(src);
            }
        }
        dst.flip();
        NDArray owned = Tensors.of(manager, dst, t.shape(), type);
        owned.setName(name);
        return owned;
    }

    /** Loads every tensor, in file order. */
    public Map<String, NDArray> loadAll(NDManager manager) throws IOException {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (String name : tensors.keySet()) {
            out.put(name, load(name, manager));
        }
        return out;
    }

    /** Opens, loads every tensor and closes: the common case. */
    public static Map<String, NDArray> read(Path path, NDManager manager) throws IOException {
        try (SafetensorsFile f = open(path)) {
            return f.loadAll(manager);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos + buf.position());
            if (r < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    private static IOException corrupt(Path path, String problem) {
        return new IOException(path + ": not a valid safetensors file: " + problem);
    }
}
