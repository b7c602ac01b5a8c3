package image2music.models.nn;

import ai.djl.ndarray.types.DataType;

/** The safetensors dtype names we read and write, with their element size and DJL type. */
public enum SafetensorsDType {
    F64(8, DataType.FLOAT64),
    F32(4, DataType.FLOAT32),
    F16(2, DataType.FLOAT16),
    /** Loaded as F32: BF16 tensors crash the JVM in DJL 0.33's PyTorch build. */
    BF16(2, DataType.FLOAT32),
    I64(8, DataType.INT64),
    I32(4, DataType.INT32),
    /** Loaded as I32: INT16 tensors crash the JVM in DJL 0.33's PyTorch build. */
    I16(2, DataType.INT32),
    I8(1, DataType.INT8),
    U8(1, DataType.UINT8),
    BOOL(1, DataType.BOOLEAN);

    private final int bytes;
    private final DataType loadedAs;

    SafetensorsDType(int bytes, DataType loadedAs) {
        this.bytes = bytes;
        this.loadedAs = loadedAs;
    }

    /** Bytes per element in the file. */
    public int bytes() {
        return bytes;
    }

    /** The DJL type an element of this dtype becomes when loaded. */
    public DataType loadedAs() {
        return loadedAs;
    }

    /** The safetensors dtype to write a DJL array of type {@code t} as. */
    public static SafetensorsDType forWriting(DataType t) {
        return switch (t) {
            case FLOAT64 -> F64;
            case FLOAT32 -> F32;
            case FLOAT16 -> F16;
            case INT64 -> I64;
            case INT32 -> I32;
            case INT8 -> I8;
            case UINT8 -> U8;
            case BOOLEAN -> BOOL;
            default ->
                    throw new IllegalArgumentException(
                            "Cannot write a "
                                    + t
                                    + " tensor to safetensors (convert it to float32 first)");
        };
    }
}
