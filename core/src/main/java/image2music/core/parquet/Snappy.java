package image2music.core.parquet;

/**
 * Decompresses a raw Snappy block (the format of Google's {@code format_description.txt}, what
 * Parquet's SNAPPY codec stores per page): a ULEB128 uncompressed length, then elements whose tag
 * byte's low two bits say literal ({@code 00}), or copy with a 1-, 2- or 4-byte offset ({@code 01},
 * {@code 10}, {@code 11}). A copy may overlap its own output (offset &lt; length repeats a
 * pattern), so it is done byte by byte. Every length and offset is checked: a corrupt block is an
 * exception, never an index out of bounds or an allocation beyond {@code expectedLength}.
 */
final class Snappy {

    private Snappy() {}

    /**
     * Decompresses {@code src[off, off + len)}, which must declare and produce exactly {@code
     * expectedLength} bytes.
     */
    static byte[] decompress(byte[] src, int off, int len, int expectedLength)
            throws ParquetFormatException {
        if (off < 0 || len < 0 || off > src.length - len) {
            throw new IllegalArgumentException("range outside the array");
        }
        int pos = off;
        int end = off + len;
        long declared = 0;
        for (int shift = 0; ; shift += 7) {
            if (pos >= end || shift > 28) {
                throw new ParquetFormatException("snappy: bad length header");
            }
            int b = src[pos++] & 0xff;
            declared |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        if (declared != expectedLength) {
            throw new ParquetFormatException(
                    "snappy: block declares "
                            + declared
                            + " bytes, the page header "
                            + expectedLength);
        }
        byte[] out = new byte[expectedLength];
        int o = 0;
        while (pos < end) {
            int tag = src[pos++] & 0xff;
            int kind = tag & 3;
            if (kind == 0) {
                long n = (tag >>> 2) + 1;
                if (n > 60) {
                    int extra = (int) n - 60;
                    if (extra > end - pos) {
                        throw new ParquetFormatException("snappy: literal length cut short");
                    }
                    n = 0;
                    for (int i = 0; i < extra; i++) {
                        n |= (long) (src[pos++] & 0xff) << (8 * i);
                    }
                    n += 1;
                }
                if (n > end - pos || n > out.length - o) {
                    throw new ParquetFormatException(
                            "snappy: literal of " + n + " bytes runs past the block");
                }
                System.arraycopy(src, pos, out, o, (int) n);
                pos += (int) n;
                o += (int) n;
            } else {
                int length;
                long offset;
                if (kind == 1) {
                    if (end - pos < 1) {
                        throw new ParquetFormatException("snappy: copy cut short");
                    }
                    length = 4 + ((tag >>> 2) & 7);
                    offset = ((long) (tag >>> 5) << 8) | (src[pos++] & 0xff);
                } else {
                    int bytes = kind == 2 ? 2 : 4;
                    if (end - pos < bytes) {
                        throw new ParquetFormatException("snappy: copy cut short");
                    }
                    length = 1 + (tag >>> 2);
                    offset = 0;
                    for (int i = 0; i < bytes; i++) {
                        offset |= (long) (src[pos++] & 0xff) << (8 * i);
                    }
                }
                if (offset == 0 || offset > o) {
                    throw new ParquetFormatException(
                            "snappy: copy offset " + offset + " at output byte " + o);
                }
                if (length > out.length - o) {
                    throw new ParquetFormatException("snappy: copy runs past the block");
                }
                int from = o - (int) offset;
                for (int i = 0; i < length; i++) {
                    out[o++] = out[from + i];
                }
            }
        }
        if (o != expectedLength) {
            throw new ParquetFormatException(
                    "snappy: block ends after " + o + " of " + expectedLength + " bytes");
        }
        return out;
    }
}
