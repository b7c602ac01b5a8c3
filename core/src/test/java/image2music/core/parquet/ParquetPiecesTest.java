package image2music.core.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reader's pieces on byte arrays built by hand from the specifications. */
class ParquetPiecesTest {

    private static byte[] b(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }

    private static ThriftCompactReader thrift(int... v) {
        byte[] bytes = b(v);
        return new ThriftCompactReader(bytes, 0, bytes.length);
    }

    @Test
    void varintsAndZigzag() throws ParquetFormatException {
        assertEquals(300, thrift(0xac, 0x02).varint());
        assertEquals(0, ThriftCompactReader.zigzag(0));
        assertEquals(-1, ThriftCompactReader.zigzag(1));
        assertEquals(1, ThriftCompactReader.zigzag(2));
        assertEquals(-2, ThriftCompactReader.zigzag(3));
        assertEquals(Long.MIN_VALUE, ThriftCompactReader.zigzag(-1L));
        assertEquals(-150, thrift(0xab, 0x02).i32()); // zigzag 299
        assertEquals(
                Long.MAX_VALUE,
                thrift(0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01).i64());
        assertThrows(
                ParquetFormatException.class,
                () -> thrift(0x80, 0x80, 0x80, 0x80, 0x80, 0x10).i32());
        assertThrows(ThriftCompactReader.Truncated.class, () -> thrift(0x80).varint());
        assertThrows(
                ParquetFormatException.class,
                () ->
                        thrift(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01)
                                .varint());
    }

    @Test
    void structsWithDeltasLongIdsBoolsListsAndSkippedFields() throws ParquetFormatException {
        // {1: i32 -3, 2: true, 5: binary "ab", (long id 300): list<i32>[1, 2], 301: struct{1: i64
        // 7}}
        ThriftCompactReader in =
                thrift(
                        0x15, 0x05, // field 1 (delta 1) i32, zigzag(-3) = 5
                        0x11, // field 2 (delta 1) bool true
                        0x38, 0x02, 'a', 'b', // field 5 (delta 3) binary len 2
                        0x09, 0xd8, 0x04, 0x25, 0x02,
                        0x04, // field 300 (delta 0, zigzag 600): list of 2 i32
                        0x1c, 0x16, 0x0e, 0x00, // field 301 struct {1: i64 7}
                        0x00);
        List<String> seen = new ArrayList<>();
        in.struct(
                (r, id, type) -> {
                    switch (id) {
                        case 1 -> seen.add("1=" + r.i32());
                        case 2 -> seen.add("2=" + r.bool());
                        case 5 -> seen.add("5=" + r.string());
                        case 300 -> {
                            int[] h = r.listHeader();
                            seen.add("300=" + h[0] + "x" + h[1] + ":" + r.i32() + "," + r.i32());
                        }
                        default -> {
                            seen.add("skip " + id);
                            return false;
                        }
                    }
                    return true;
                });
        assertEquals(List.of("1=-3", "2=true", "5=ab", "300=2x5:1,2", "skip 301"), seen);
    }

    @Test
    void aListClaimingMoreElementsThanBytesIsRefused() {
        // list header with size 15 (long form): varint 1,000,000 elements of i32, 2 bytes left.
        ThriftCompactReader in = thrift(0xf5, 0xc0, 0x84, 0x3d, 0x00, 0x00);
        assertThrows(ThriftCompactReader.Truncated.class, in::listHeader);
        ThriftCompactReader binary = thrift(0xff, 0xff, 0xff, 0xff, 0x0f, 'x');
        assertThrows(ParquetFormatException.class, binary::binary);
    }

    @Test
    void deepNestingIsRefused() {
        int[] v = new int[200];
        for (int i = 0; i < 199; i++) {
            v[i] = 0x1c; // field delta 1, struct
        }
        ThriftCompactReader in = thrift(v);
        ParquetFormatException e =
                assertThrows(ParquetFormatException.class, () -> in.struct((r, id, t) -> false));
        assertTrue(e.getMessage().contains("deeper"), e.getMessage());
    }

    @Test
    void rleAndBitPackedRuns() throws ParquetFormatException {
        // RLE run: 5 × value 2 (bit width 2: one byte), then a bit-packed run of one group of 8
        // values 0..7 at bit width 3 (the spec's example: 0x88, 0xC6, 0xFA), then RLE 3 × 1.
        byte[] buf = b(0x0a, 0x02, 0x03, 0x88, 0xc6, 0xfa, 0x06, 0x01);
        int[] out = new int[16];
        // Mixed widths are not valid in one stream; decode the parts at their widths.
        assertEquals(2, RleBitPackedHybrid.decode(buf, 0, 2, 2, out, 5));
        assertArrayEquals(new int[] {2, 2, 2, 2, 2}, java.util.Arrays.copyOf(out, 5));
        assertEquals(4, RleBitPackedHybrid.decode(buf, 2, 4, 3, out, 8));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, java.util.Arrays.copyOf(out, 8));
        // Fewer values wanted than the group holds: the padding is ignored.
        assertEquals(4, RleBitPackedHybrid.decode(buf, 2, 4, 3, out, 3));
        assertArrayEquals(new int[] {0, 1, 2}, java.util.Arrays.copyOf(out, 3));
        // A run longer than needed is cut at the count.
        assertEquals(2, RleBitPackedHybrid.decode(buf, 6, 2, 1, out, 2));
        // Bit width 1 levels: RLE 4 × 1 then bit-packed 10110000.
        byte[] levels = b(0x08, 0x01, 0x03, 0x0d);
        int[] l = new int[12];
        RleBitPackedHybrid.decode(levels, 0, levels.length, 1, l, 12);
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 0, 1, 1, 0, 0, 0, 0}, l);
        assertEquals(2, RleBitPackedHybrid.bitWidth(2));
        assertEquals(1, RleBitPackedHybrid.bitWidth(1));
        assertEquals(0, RleBitPackedHybrid.bitWidth(0));
    }

    @Test
    void runsThatEndEarlyOrOverflowAreRefused() {
        int[] out = new int[100];
        // 5 values asked, the run gives 3 and the bytes end.
        assertThrows(
                ParquetFormatException.class,
                () -> RleBitPackedHybrid.decode(b(0x06, 0x01), 0, 2, 1, out, 5));
        // A bit-packed run claiming 2^30 groups in 3 bytes.
        assertThrows(
                ParquetFormatException.class,
                () ->
                        RleBitPackedHybrid.decode(
                                b(0x81, 0x80, 0x80, 0x80, 0x08, 0), 0, 6, 1, out, 5));
        // An RLE value wider than its bit width.
        assertThrows(
                ParquetFormatException.class,
                () -> RleBitPackedHybrid.decode(b(0x02, 0x07), 0, 2, 2, out, 1));
        // An RLE run of 2^62 values asks for only what is needed.
        int[] few = new int[3];
        assertDoesNotThrowHere(
                () ->
                        RleBitPackedHybrid.decode(
                                b(0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x01),
                                0,
                                10,
                                1,
                                few,
                                3));
        assertArrayEquals(new int[] {1, 1, 1}, few);
    }

    private interface Action {
        void run() throws Exception;
    }

    private static void assertDoesNotThrowHere(Action a) {
        try {
            a.run();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void snappyLiteralsAndCopiesIncludingOverlapping() throws ParquetFormatException {
        // "abcabcabcabcX": literal "abc", copy (1-byte offset) length 9 offset 3 — overlapping
        // its own output — then literal "X".
        byte[] block =
                b(
                        13, // uncompressed length
                        (3 - 1) << 2,
                        'a',
                        'b',
                        'c', // literal of 3
                        0x01 | ((9 - 4) << 2),
                        3, // copy-1: length 9, offset 3
                        0,
                        'X');
        assertEquals(
                "abcabcabcabcX",
                new String(
                        Snappy.decompress(block, 0, block.length, 13), StandardCharsets.US_ASCII));
        // Run of one byte: offset 1, 2-byte offset copy of length 20.
        byte[] run = b(21, 0, 'z', 0x02 | ((20 - 1) << 2), 1, 0);
        assertEquals(
                "z".repeat(21),
                new String(Snappy.decompress(run, 0, run.length, 21), StandardCharsets.US_ASCII));
        // A literal whose length is in one extra byte (tag 60): 70 bytes.
        byte[] lit = new byte[1 + 2 + 70];
        lit[0] = 70;
        lit[1] = (byte) (60 << 2);
        lit[2] = 69;
        for (int i = 0; i < 70; i++) {
            lit[3 + i] = (byte) ('0' + i % 10);
        }
        byte[] lout = Snappy.decompress(lit, 0, lit.length, 70);
        assertEquals('9', lout[69]);
        // A 4-byte offset copy.
        byte[] c4 = b(6, (2 - 1) << 2, 'p', 'q', 0x03 | ((4 - 1) << 2), 2, 0, 0, 0);
        assertEquals(
                "pqpqpq",
                new String(Snappy.decompress(c4, 0, c4.length, 6), StandardCharsets.US_ASCII));
    }

    @Test
    void corruptSnappyIsRefused() {
        // Offset 0, offset before the start, copy past the declared length, length mismatch.
        for (byte[] bad :
                List.of(
                        b(4, 0, 'a', 0x01, 0),
                        b(8, 0, 'a', 0x01 | (4 << 2), 5),
                        b(3, 0, 'a', 0x01 | (4 << 2), 1),
                        b(5, 0, 'a'),
                        b(2, 4 << 2, 'a'))) {
            int declared = bad[0];
            assertThrows(
                    ParquetFormatException.class,
                    () -> Snappy.decompress(bad, 0, bad.length, declared));
        }
        assertThrows(ParquetFormatException.class, () -> Snappy.decompress(b(9, 0, 'a'), 0, 3, 5));
    }

    @Test
    void deltaLengthByteArray() throws ParquetFormatException {
        // Lengths [2, 3, 1]: block 128, 4 miniblocks, 3 values, first 2 (zigzag 4); deltas 1 and
        // −2, min delta −2 (zigzag 3), so 3 and 0 at width 2: bits 11 00 → 0x03.
        byte[] buf = new byte[64];
        int[] head = {0x80, 0x01, 0x04, 0x03, 0x04, 0x03, 2, 0, 0, 0};
        int p = 0;
        for (int v : head) {
            buf[p++] = (byte) v;
        }
        buf[p] = 0x03; // the first miniblock: 32 values × 2 bits = 8 bytes
        p += 8;
        byte[] data = "abcdef".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(data, 0, buf, p, data.length);
        DeltaEncodings.Cursor c = new DeltaEncodings.Cursor(buf, 0, p + data.length);
        byte[][] v = DeltaEncodings.lengthByteArray(c, 3);
        assertEquals("ab", new String(v[0], StandardCharsets.US_ASCII));
        assertEquals("cde", new String(v[1], StandardCharsets.US_ASCII));
        assertEquals("f", new String(v[2], StandardCharsets.US_ASCII));
        assertEquals(p + data.length, c.pos);
    }

    @Test
    void plainValuesMustFit() throws ParquetFormatException {
        byte[][] v = ParquetFile.plain(b(2, 0, 0, 0, 'h', 'i', 0, 0, 0, 0), 0, 10, 2);
        assertEquals("hi", new String(v[0], StandardCharsets.US_ASCII));
        assertEquals(0, v[1].length);
        assertThrows(
                ParquetFormatException.class,
                () -> ParquetFile.plain(b(0xff, 0xff, 0xff, 0x7f, 'h'), 0, 5, 1));
        assertThrows(
                ParquetFormatException.class, () -> ParquetFile.plain(b(0, 0, 0, 0), 0, 4, 1000));
    }
}
