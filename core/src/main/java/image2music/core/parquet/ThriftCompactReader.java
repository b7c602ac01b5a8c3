package image2music.core.parquet;

import java.nio.charset.StandardCharsets;

/**
 * The part of Apache Thrift's compact protocol that Parquet's metadata uses: structs of fields
 * (field-id deltas, zigzag varint integers, length-prefixed binaries, lists), read from a byte
 * array with every length checked against what is left, nesting bounded, and unknown fields skipped
 * (a newer writer's additions are ignored, as thrift does).
 *
 * <p>Errors are {@link ParquetFormatException}s; {@link Truncated} says the bytes ended inside a
 * value, so a caller reading a page header from a window of the file can retry with a larger one.
 */
final class ThriftCompactReader {

    static final int STOP = 0;
    static final int BOOLEAN_TRUE = 1;
    static final int BOOLEAN_FALSE = 2;
    static final int BYTE = 3;
    static final int I16 = 4;
    static final int I32 = 5;
    static final int I64 = 6;
    static final int DOUBLE = 7;
    static final int BINARY = 8;
    static final int LIST = 9;
    static final int SET = 10;
    static final int MAP = 11;
    static final int STRUCT = 12;

    /** Deeper than any Parquet metadata (FileMetaData → RowGroup → ColumnChunk → … is ~6). */
    static final int MAX_DEPTH = 32;

    /** The bytes ended inside a value. */
    static final class Truncated extends ParquetFormatException {
        Truncated() {
            super("metadata ends inside a value");
        }
    }

    /** Called for each field of a struct; returns false to have the field skipped. */
    interface FieldReader {
        boolean read(ThriftCompactReader in, int id, int type) throws ParquetFormatException;
    }

    private final byte[] buf;
    private int pos;
    private final int limit;
    private int depth;
    private int boolField;

    ThriftCompactReader(byte[] buf, int offset, int length) {
        if (offset < 0 || length < 0 || offset > buf.length - length) {
            throw new IllegalArgumentException(
                    "range [" + offset + ", +" + length + ") outside " + buf.length + " bytes");
        }
        this.buf = buf;
        this.pos = offset;
        this.limit = offset + length;
    }

    /** Where the next byte would be read. */
    int position() {
        return pos;
    }

    int u8() throws ParquetFormatException {
        if (pos >= limit) {
            throw new Truncated();
        }
        return buf[pos++] & 0xff;
    }

    /** An unsigned LEB128 varint of at most 64 bits. */
    long varint() throws ParquetFormatException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = u8();
            v |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new ParquetFormatException("varint longer than 10 bytes");
    }

    static long zigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    int i32() throws ParquetFormatException {
        long v = zigzag(varint());
        if (v != (int) v) {
            throw new ParquetFormatException("i32 value " + v + " out of range");
        }
        return (int) v;
    }

    long i64() throws ParquetFormatException {
        return zigzag(varint());
    }

    /** A field's boolean, which the compact protocol keeps in the field header's type. */
    boolean bool() {
        return boolField == BOOLEAN_TRUE;
    }

    byte[] binary() throws ParquetFormatException {
        int n = length();
        byte[] out = new byte[n];
        System.arraycopy(buf, pos, out, 0, n);
        pos += n;
        return out;
    }

    String string() throws ParquetFormatException {
        int n = length();
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    /** A length that must fit in the bytes left. */
    private int length() throws ParquetFormatException {
        long n = varint();
        if (n > limit - pos) {
            if (n <= Integer.MAX_VALUE) {
                throw new Truncated();
            }
            throw new ParquetFormatException("length " + n + " is absurd");
        }
        return (int) n;
    }

    /**
     * A list header: returns {size, element type}. The size is bounded by the bytes left (every
     * element takes at least one byte), so a hostile count cannot make a caller allocate much.
     */
    int[] listHeader() throws ParquetFormatException {
        int b = u8();
        int type = b & 0x0f;
        long size = b >>> 4;
        if (size == 15) {
            size = varint();
        }
        if (size > limit - pos) {
            if (size <= Integer.MAX_VALUE) {
                throw new Truncated();
            }
            throw new ParquetFormatException("list of " + size + " elements is absurd");
        }
        return new int[] {(int) size, type};
    }

    /** Reads a struct, handing each field to {@code reader}; unhandled fields are skipped. */
    void struct(FieldReader reader) throws ParquetFormatException {
        if (++depth > MAX_DEPTH) {
            throw new ParquetFormatException("metadata nested deeper than " + MAX_DEPTH);
        }
        int last = 0;
        while (true) {
            int b = u8();
            int type = b & 0x0f;
            if (type == STOP) {
                break;
            }
            int delta = b >>> 4;
            int id = delta != 0 ? last + delta : (short) i32();
            last = id;
            boolField = type;
            if (!reader.read(this, id, type)) {
                skip(type, true);
            }
        }
        depth--;
    }

    /** Fails unless a field has the type the schema gives it. */
    static void expect(int id, int type, int wanted) throws ParquetFormatException {
        boolean ok =
                type == wanted
                        || (wanted == BOOLEAN_TRUE && type == BOOLEAN_FALSE)
                        || (wanted == LIST && type == SET);
        if (!ok) {
            throw new ParquetFormatException(
                    "field " + id + " has thrift type " + type + ", expected " + wanted);
        }
    }

    /** Skips a value of {@code type}; a field's boolean has no bytes, a list element's has one. */
    void skip(int type, boolean field) throws ParquetFormatException {
        switch (type) {
            case BOOLEAN_TRUE, BOOLEAN_FALSE -> {
                if (!field) {
                    u8();
                }
            }
            case BYTE -> u8();
            case I16, I32, I64 -> varint();
            case DOUBLE -> {
                if (limit - pos < 8) {
                    throw new Truncated();
                }
                pos += 8;
            }
            case BINARY -> {
                int n = length(); // not "pos += length()": that adds to pos as it was before
                pos += n;
            }
            case LIST, SET -> {
                int[] h = listHeader();
                nested();
                for (int i = 0; i < h[0]; i++) {
                    skip(h[1], false);
                }
                depth--;
            }
            case MAP -> {
                long n = varint();
                if (n > limit - pos) {
                    throw n <= Integer.MAX_VALUE
                            ? new Truncated()
                            : new ParquetFormatException("map of " + n + " entries is absurd");
                }
                if (n > 0) {
                    int kv = u8();
                    nested();
                    for (long i = 0; i < n; i++) {
                        skip(kv >>> 4, false);
                        skip(kv & 0x0f, false);
                    }
                    depth--;
                }
            }
            case STRUCT -> struct((in, id, t) -> false);
            default -> throw new ParquetFormatException("unknown thrift type " + type);
        }
    }

    private void nested() throws ParquetFormatException {
        if (++depth > MAX_DEPTH) {
            throw new ParquetFormatException("metadata nested deeper than " + MAX_DEPTH);
        }
    }
}
