package image2music.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * Reads a PyTorch state dict saved by {@code torch.save} (zip format: {@code <name>/data.pkl}, a
 * pickle whose tensors refer to raw storages at {@code <name>/data/<key>}), as published
 * checkpoints ship it ({@code pytorch_model.bin}, {@code diffusion_pytorch_model.bin}).
 *
 * <p>No pickled code runs: the unpickler resolves only the few globals a state dict uses ({@code
 * collections.OrderedDict}, {@code torch._utils._rebuild_tensor_v2}, {@code
 * torch._utils._rebuild_parameter} and the storage types) and refuses every other one. Nested dicts
 * are flattened with dotted keys; non-tensor leaves (step counters and the like) are left out. BF16
 * becomes F32 as in {@link SafetensorsFile}. The legacy pre-1.6 (non-zip) format is not read.
 */
public final class TorchBinFile {

    private TorchBinFile() {}

    /**
     * Reads every tensor of {@code path} into {@code manager}. The key order is not the file's (the
     * pickle library collects dict items through a hash map); loading matches keys by name.
     */
    public static Map<String, NDArray> read(Path path, NDManager manager) throws IOException {
        try (ZipFile zip = new ZipFile(path.toFile())) {
            String prefix = archivePrefix(zip, path);
            Object root;
            byte[] pickle = readPickle(zip, prefix + "data.pkl", path);
            try (InputStream in = new ByteArrayInputStream(pickle)) {
                root = new StateDictUnpickler(zip, prefix, path, manager).load(in);
            } catch (PickleException
                    | ClassCastException
                    | IndexOutOfBoundsException
                    | ArithmeticException
                    | IllegalArgumentException
                    | NullPointerException e) {
                throw new IOException(
                        path + ": not a readable PyTorch state dict: " + e.getMessage(), e);
            } catch (StackOverflowError e) {
                throw new IOException(
                        path + ": not a readable PyTorch state dict: nested too deeply", e);
            }
            if (!(root instanceof Map<?, ?> map)) {
                throw new IOException(
                        path + ": holds a " + typeName(root) + ", not a state dict (a dict)");
            }
            Map<String, NDArray> out = new LinkedHashMap<>();
            flatten(path, "", map, out, 0);
            return out;
        } catch (java.util.zip.ZipException e) {
            throw new IOException(
                    path
                            + ": not a zip-format torch.save file (legacy PyTorch < 1.6 files"
                            + " are not supported): "
                            + e.getMessage(),
                    e);
        }
    }

    private static String archivePrefix(ZipFile zip, Path path) throws IOException {
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            String name = entries.nextElement().getName();
            if (name.endsWith("data.pkl")) {
                return name.substring(0, name.length() - "data.pkl".length());
            }
        }
        throw new IOException(path + ": no data.pkl entry (not a torch.save zip)");
    }

    /** The pickle of a state dict is small (SD-1.5's is under 1 MB); a bound keeps it in memory. */
    static final int MAX_PICKLE_BYTES = 64 << 20;

    /** Deepest dict nesting flattened (a state dict nests a few levels). */
    static final int MAX_DEPTH = 64;

    private static byte[] readPickle(ZipFile zip, String name, Path path) throws IOException {
        ZipEntry e = zip.getEntry(name);
        try (InputStream in = zip.getInputStream(e)) {
            byte[] bytes = in.readNBytes(MAX_PICKLE_BYTES + 1);
            if (bytes.length > MAX_PICKLE_BYTES) {
                throw new IOException(
                        path + ": " + name + " is over " + MAX_PICKLE_BYTES + " bytes");
            }
            return bytes;
        }
    }

    private static void flatten(
            Path path, String prefix, Map<?, ?> map, Map<String, NDArray> out, int depth)
            throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IOException(path + ": state dict nested over " + MAX_DEPTH + " levels");
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix + e.getKey();
            if (e.getValue() instanceof NDArray a) {
                a.setName(key);
                out.put(key, a);
            } else if (e.getValue() instanceof Map<?, ?> inner) {
                flatten(path, key + ".", inner, out, depth + 1);
            }
        }
    }

    private static String typeName(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName();
    }

    /** A storage class named in a persistent id, with its element size and loaded type. */
    private enum StorageType {
        FloatStorage(4, DataType.FLOAT32),
        HalfStorage(2, DataType.FLOAT16),
        BFloat16Storage(2, DataType.FLOAT32),
        DoubleStorage(8, DataType.FLOAT64),
        LongStorage(8, DataType.INT64),
        IntStorage(4, DataType.INT32),
        ByteStorage(1, DataType.UINT8),
        BoolStorage(1, DataType.BOOLEAN);

        final int bytes;
        final DataType loadedAs;

        StorageType(int bytes, DataType loadedAs) {
            this.bytes = bytes;
            this.loadedAs = loadedAs;
        }
    }

    /**
     * A storage named by a persistent id: its zip entry is read when a tensor views it, only the
     * span the view covers, so a multi-gigabyte checkpoint never sits in the Java heap at once.
     */
    private record Storage(StorageType type, String entry) {}

    /** {@code collections.OrderedDict}; its pickled state (the {@code _metadata}) is dropped. */
    static final class OrderedDict extends LinkedHashMap<Object, Object> {
        private static final long serialVersionUID = 1L;

        /** Called by the unpickler's BUILD opcode (name fixed by the pickle library). */
        @SuppressWarnings("checkstyle:MethodName")
        public void __setstate__(Object state) {
            // state_dict()'s per-module version metadata: not needed to read the weights.
        }
    }

    /** An unpickler that only knows a state dict's globals and loads storages from the zip. */
    private static final class StateDictUnpickler extends Unpickler {
        private final ZipFile zip;
        private final String prefix;
        private final Path path;
        private final NDManager manager;
        private final Map<String, Object> globals = new HashMap<>();

        StateDictUnpickler(ZipFile zip, String prefix, Path path, NDManager manager) {
            this.zip = zip;
            this.prefix = prefix;
            this.path = path;
            this.manager = manager;
            globals.put("collections.OrderedDict", (IObjectConstructor) args -> new OrderedDict());
            globals.put("torch._utils._rebuild_tensor_v2", (IObjectConstructor) this::rebuild);
            // A Parameter pickles as (tensor, requires_grad, hooks): the tensor is the weight.
            globals.put("torch._utils._rebuild_parameter", (IObjectConstructor) args -> args[0]);
            for (StorageType t : StorageType.values()) {
                globals.put("torch." + t.name(), t);
            }
        }

        @Override
        protected Object dispatch(short key) throws PickleException, IOException {
            if (key == Opcodes.GLOBAL) {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.add(global(module, name));
                return NO_RETURN_VALUE;
            }
            if (key == Opcodes.STACK_GLOBAL) {
                String name = (String) stack.pop();
                String module = (String) stack.pop();
                stack.add(global(module, name));
                return NO_RETURN_VALUE;
            }
            if (key == Opcodes.INST) {
                // INST names a class inline, as GLOBAL does: the same allow-list applies.
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                Object g = global(module, name);
                Object[] args = stack.pop_all_since_marker().toArray();
                if (!(g instanceof IObjectConstructor c)) {
                    throw new PickleException(module + "." + name + " cannot be instantiated");
                }
                stack.add(c.construct(args));
                return NO_RETURN_VALUE;
            }
            checkClaimedLength(key);
            return super.dispatch(key);
        }

        /**
         * Refuses an opcode whose length field claims more bytes than the pickle has left: the
         * library would allocate the claimed size first (a 10-byte pickle claiming 2 GB).
         */
        private void checkClaimedLength(short key) throws IOException {
            int width =
                    switch (key) {
                        case Opcodes.BINSTRING,
                                Opcodes.BINBYTES,
                                Opcodes.BINUNICODE,
                                Opcodes.LONG4 ->
                                4;
                        case Opcodes.BINUNICODE8, Opcodes.BINBYTES8, Opcodes.BYTEARRAY8 -> 8;
                        default -> 0;
                    };
            if (width == 0) {
                return;
            }
            input.mark(width);
            byte[] field = input.readNBytes(width);
            input.reset();
            if (field.length < width) {
                throw new PickleException("pickle ends inside a length field");
            }
            ByteBuffer b = ByteBuffer.wrap(field).order(ByteOrder.LITTLE_ENDIAN);
            long claimed = width == 4 ? b.getInt() & 0xFFFFFFFFL : b.getLong();
            long left = input.available() - width;
            if (claimed < 0 || claimed > left) {
                throw new PickleException(
                        "a value claims "
                                + Long.toUnsignedString(claimed)
                                + " bytes but the pickle has "
                                + left
                                + " left");
            }
        }

        private Object global(String module, String name) throws IOException {
            Object g = globals.get(module + "." + name);
            if (g == null) {
                throw new IOException(
                        path
                                + ": refuses the pickled global "
                                + module
                                + "."
                                + name
                                + " (only a plain state dict of tensors is read; no pickled"
                                + " code is run)");
            }
            return g;
        }

        @Override
        protected Object persistentLoad(Object pid) {
            // ('storage', storage_type, key, location, numel)
            Object[] id = (Object[]) pid;
            if (id.length < 3 || !"storage".equals(id[0])) {
                throw new PickleException(
                        "unknown persistent id (" + id.length + " items, not a storage)");
            }
            if (!(id[1] instanceof StorageType type)) {
                throw new PickleException("unknown storage type " + typeName(id[1]));
            }
            return new Storage(type, prefix + "data/" + id[2]);
        }

        /** How many elements {@code storage} holds, or -1 when the zip does not say. */
        private long storageElements(Storage storage) {
            ZipEntry e = zip.getEntry(storage.entry());
            if (e == null) {
                throw new PickleException("missing storage entry " + storage.entry());
            }
            return e.getSize() < 0 ? -1 : e.getSize() / storage.type().bytes;
        }

        /** Elements {@code [first, first + count)} of {@code storage}, little-endian. */
        private ByteBuffer readSpan(Storage storage, long first, long count) {
            ZipEntry e = zip.getEntry(storage.entry());
            if (e == null) {
                throw new PickleException("missing storage entry " + storage.entry());
            }
            int bytes = storage.type().bytes;
            if (e.getSize() >= 0 && (first + count) * bytes > e.getSize()) {
                throw new PickleException(
                        "a tensor view reads past the end of storage " + storage.entry());
            }
            try (InputStream in = zip.getInputStream(e)) {
                in.skipNBytes(first * bytes);
                byte[] data = in.readNBytes(Math.toIntExact(count * bytes));
                if (data.length != count * bytes) {
                    throw new PickleException("storage " + storage.entry() + " is truncated");
                }
                return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            } catch (IOException | ArithmeticException ex) {
                throw new PickleException(
                        "cannot read storage " + storage.entry() + ": " + ex.getMessage());
            }
        }

        /** {@code _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks)}. */
        private Object rebuild(Object[] args) {
            Storage storage = (Storage) args[0];
            long offset = ((Number) args[1]).longValue();
            long[] size = longs((Object[]) args[2]);
            long[] stride = longs((Object[]) args[3]);
            if (size.length != stride.length || size.length > 32) {
                throw new PickleException("a tensor view with a bad shape or stride");
            }
            StorageType t = storage.type();
            long count = 1;
            for (long s : size) {
                if (s < 0) {
                    throw new PickleException("negative size in a tensor view");
                }
                count = Math.multiplyExact(count, s);
            }
            // A view never holds more elements than its storage, except through stride 0 (a
            // broadcast), which no saved state dict needs: refuse before allocating for it.
            long stored = storageElements(storage);
            if (offset < 0 || (stored >= 0 && count > stored)) {
                throw new PickleException(
                        "a tensor view of "
                                + count
                                + " elements is larger than its storage "
                                + storage.entry()
                                + " ("
                                + stored
                                + ")");
            }
            Shape shape = new Shape(size);
            int outBytes = t.loadedAs.getNumOfBytes();
            ByteBuffer dst =
                    ByteBuffer.allocateDirect(Math.toIntExact(count * outBytes))
                            .order(ByteOrder.nativeOrder());
            long last = offset;
            for (int d = 0; d < size.length; d++) {
                if (stride[d] < 0) {
                    throw new PickleException("negative stride in a tensor view");
                }
                last += size[d] == 0 ? 0 : (size[d] - 1) * stride[d];
            }
            ByteBuffer span = count == 0 ? null : readSpan(storage, offset, last - offset + 1);
            long[] index = new long[size.length];
            for (long n = 0; n < count; n++) {
                long at = 0;
                for (int d = 0; d < size.length; d++) {
                    at += index[d] * stride[d];
                }
                copyElement(span, (int) (at * t.bytes), t, dst);
                for (int d = size.length - 1; d >= 0; d--) {
                    if (++index[d] < size[d]) {
                        break;
                    }
                    index[d] = 0;
                }
            }
            dst.flip();
            return Tensors.of(manager, dst, shape, t.loadedAs);
        }

        private static void copyElement(ByteBuffer src, int at, StorageType t, ByteBuffer dst) {
            switch (t) {
                case BFloat16Storage -> dst.putInt((src.getShort(at) & 0xFFFF) << 16);
                case FloatStorage, IntStorage -> dst.putInt(src.getInt(at));
                case HalfStorage -> dst.putShort(src.getShort(at));
                case DoubleStorage, LongStorage -> dst.putLong(src.getLong(at));
                case ByteStorage, BoolStorage -> dst.put(src.get(at));
            }
        }

        private static long[] longs(Object[] values) {
            long[] out = new long[values.length];
            for (int i = 0; i < values.length; i++) {
                out[i] = ((Number) values[i]).longValue();
            }
            return out;
        }
    }
}
