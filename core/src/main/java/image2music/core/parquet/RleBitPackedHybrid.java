package image2music.core.parquet;

/**
 * Parquet's RLE / bit-packing hybrid (definition and repetition levels, dictionary indices): runs,
 * each a ULEB128 header whose low bit says which kind — {@code 1}: {@code header >>> 1} groups of 8
 * values packed {@code bitWidth} bits each, least significant bit first; {@code 0}: one value
 * (little-endian, {@code ceil(bitWidth / 8)} bytes) repeated {@code header >>> 1} times.
 */
final class RleBitPackedHybrid {

    private RleBitPackedHybrid() {}

    /**
     * Decodes {@code count} values of {@code bitWidth} (0–32) bits from {@code buf[off, off + len)}
     * into {@code out[0, count)}. Values of a last bit-packed group beyond {@code count} are
     * padding and ignored.
     *
     * @return the bytes read
     * @throws ParquetFormatException when the runs end before {@code count} values
     */
    static int decode(byte[] buf, int off, int len, int bitWidth, int[] out, int count)
            throws ParquetFormatException {
        if (bitWidth < 0 || bitWidth > 32) {
            throw new ParquetFormatException("bit width " + bitWidth + " is outside 0-32");
        }
        if (off < 0 || len < 0 || off > buf.length - len) {
            throw new ParquetFormatException("encoded levels run past their page");
        }
        int pos = off;
        int end = off + len;
        int n = 0;
        int valueBytes = (bitWidth + 7) / 8;
        long mask = bitWidth == 32 ? 0xffffffffL : (1L << bitWidth) - 1;
        while (n < count) {
            long header = 0;
            for (int shift = 0; ; shift += 7) {
                if (pos >= end) {
                    throw new ParquetFormatException(
                            "encoded values end after " + n + " of " + count);
                }
                if (shift > 63) {
                    throw new ParquetFormatException("run header varint too long");
                }
                int b = buf[pos++] & 0xff;
                header |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    break;
                }
            }
            if ((header & 1) == 1) {
                long groups = header >>> 1;
                long bytes = groups * bitWidth;
                if (groups > Integer.MAX_VALUE || bytes > end - pos) {
                    throw new ParquetFormatException(
                            "bit-packed run of " + groups + " groups runs past its page");
                }
                long values = groups * 8;
                int take = (int) Math.min(values, count - n);
                long acc = 0;
                int bits = 0;
                int p = pos;
                for (int i = 0; i < take; i++) {
                    while (bits < bitWidth) {
                        acc |= (long) (buf[p++] & 0xff) << bits;
                        bits += 8;
                    }
                    out[n++] = (int) (acc & mask);
                    acc >>>= bitWidth;
                    bits -= bitWidth;
                }
                pos += (int) bytes;
            } else {
                long run = header >>> 1;
                if (valueBytes > end - pos) {
                    throw new ParquetFormatException("RLE run value runs past its page");
                }
                long v = 0;
                for (int i = 0; i < valueBytes; i++) {
                    v |= (long) (buf[pos++] & 0xff) << (8 * i);
                }
                if ((v & ~mask) != 0) {
                    throw new ParquetFormatException(
                            "RLE value " + v + " is wider than " + bitWidth + " bits");
                }
                int take = (int) Math.min(run, count - n);
                for (int i = 0; i < take; i++) {
                    out[n++] = (int) v;
                }
            }
        }
        return pos - off;
    }

    /** Bits needed for values up to {@code max}. */
    static int bitWidth(int max) {
        return 32 - Integer.numberOfLeadingZeros(max);
    }
}
