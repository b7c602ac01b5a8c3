package image2music.core.parquet;

/**
 * Parquet's delta encodings of byte arrays, which writers of v2 data pages (parquet-mr's {@code
 * PARQUET_2_0} writer) fall back to when a dictionary grows too large: DELTA_BINARY_PACKED
 * integers, DELTA_LENGTH_BYTE_ARRAY (the lengths so encoded, then the bytes one after another) and
 * DELTA_BYTE_ARRAY (prefix lengths shared with the previous value, then the suffixes as
 * DELTA_LENGTH_BYTE_ARRAY).
 */
final class DeltaEncodings {

    private DeltaEncodings() {}

    /** A position in a page's bytes. */
    static final class Cursor {
        final byte[] buf;
        int pos;
        final int end;

        Cursor(byte[] buf, int pos, int end) {
            this.buf = buf;
            this.pos = pos;
            this.end = end;
        }

        long uleb() throws ParquetFormatException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw new ParquetFormatException("delta encoding cut short");
                }
                int b = buf[pos++] & 0xff;
                v |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new ParquetFormatException("delta encoding: varint too long");
        }
    }

    /**
     * Decodes DELTA_BINARY_PACKED integers at the cursor, which is left after them. At most {@code
     * maxCount} values are accepted (the caller's count of non-null values).
     */
    static long[] binaryPacked(Cursor c, int maxCount) throws ParquetFormatException {
        long blockSize = c.uleb();
        long miniblocks = c.uleb();
        long total = c.uleb();
        long value = ThriftCompactReader.zigzag(c.uleb());
        if (blockSize <= 0
                || blockSize % 128 != 0
                || blockSize > 1 << 20
                || miniblocks <= 0
                || blockSize % miniblocks != 0
                || (blockSize / miniblocks) % 32 != 0) {
            throw new ParquetFormatException(
                    "delta encoding: block of " + blockSize + " in " + miniblocks + " miniblocks");
        }
        if (total > maxCount) {
            throw new ParquetFormatException(
                    "delta encoding holds " + total + " values, the page " + maxCount);
        }
        long[] out = new long[(int) total];
        if (total == 0) {
            return out;
        }
        out[0] = value;
        int n = 1;
        int perMini = (int) (blockSize / miniblocks);
        int[] widths = new int[(int) miniblocks];
        while (n < total) {
            long minDelta = ThriftCompactReader.zigzag(c.uleb());
            if (miniblocks > c.end - c.pos) {
                throw new ParquetFormatException("delta encoding cut short");
            }
            for (int i = 0; i < miniblocks; i++) {
                widths[i] = c.buf[c.pos++] & 0xff;
                if (widths[i] > 64) {
                    throw new ParquetFormatException(
                            "delta encoding: bit width " + widths[i] + " over 64");
                }
            }
            for (int m = 0; m < miniblocks && n < total; m++) {
                int w = widths[m];
                long bytes = (long) perMini * w / 8;
                if (bytes > c.end - c.pos) {
                    throw new ParquetFormatException("delta encoding: miniblock cut short");
                }
                int take = (int) Math.min(perMini, total - n);
                int bitPos = 0;
                for (int i = 0; i < take; i++) {
                    long delta = 0;
                    for (int b = 0; b < w; b++, bitPos++) {
                        int bit = (c.buf[c.pos + (bitPos >>> 3)] >>> (bitPos & 7)) & 1;
                        delta |= (long) bit << b;
                    }
                    value += minDelta + delta;
                    out[n++] = value;
                }
                c.pos += (int) bytes;
            }
        }
        return out;
    }

    /** Lengths that must each be in [0, 2^31) and sum to at most {@code available} bytes. */
    private static int[] lengths(long[] raw, long available) throws ParquetFormatException {
        int[] out = new int[raw.length];
        long sum = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] < 0 || raw[i] > Integer.MAX_VALUE) {
                throw new ParquetFormatException("delta encoding: length " + raw[i]);
            }
            out[i] = (int) raw[i];
            sum += raw[i];
        }
        if (sum > available) {
            throw new ParquetFormatException(
                    "delta encoding: " + sum + " bytes of values, " + available + " in the page");
        }
        return out;
    }

    static byte[][] lengthByteArray(Cursor c, int count) throws ParquetFormatException {
        long[] raw = binaryPacked(c, count);
        if (raw.length != count) {
            throw new ParquetFormatException(
                    "delta encoding holds " + raw.length + " values, expected " + count);
        }
        int[] len = lengths(raw, c.end - c.pos);
        byte[][] out = new byte[count][];
        for (int i = 0; i < count; i++) {
            out[i] = new byte[len[i]];
            System.arraycopy(c.buf, c.pos, out[i], 0, len[i]);
            c.pos += len[i];
        }
        return out;
    }

    /**
     * DELTA_BYTE_ARRAY: each value is the previous value's first {@code prefix} bytes followed by
     * its suffix. Values are bounded by {@code maxValueBytes} each.
     */
    static byte[][] byteArray(Cursor c, int count, long maxValueBytes)
            throws ParquetFormatException {
        long[] prefixes = binaryPacked(c, count);
        if (prefixes.length != count) {
            throw new ParquetFormatException(
                    "delta encoding holds " + prefixes.length + " prefixes, expected " + count);
        }
        byte[][] suffixes = lengthByteArray(c, count);
        byte[][] out = new byte[count][];
        byte[] previous = new byte[0];
        long total = 0;
        for (int i = 0; i < count; i++) {
            long p = prefixes[i];
            if (p < 0 || p > previous.length) {
                throw new ParquetFormatException(
                        "delta encoding: prefix " + p + " of a " + previous.length + "-byte value");
            }
            long size = p + suffixes[i].length;
            total += size;
            if (size > Integer.MAX_VALUE - 8 || total > maxValueBytes) {
                throw new ParquetFormatException("delta encoding: values over " + maxValueBytes);
            }
            byte[] v = new byte[(int) size];
            System.arraycopy(previous, 0, v, 0, (int) p);
            System.arraycopy(suffixes[i], 0, v, (int) p, suffixes[i].length);
            out[i] = v;
            previous = v;
        }
        return out;
    }
}
