package image2music.core.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reader on golden files written by Spark's parquet-mr ({@code fixtures/parquet/}, made by the
 * spark module's {@code ParquetGoldenFiles}) and on damaged copies of them.
 */
class ParquetFileTest {

    @TempDir Path dir;

    static Path fixture(String name) {
        URL url = ParquetFileTest.class.getResource("/fixtures/parquet/" + name);
        if (url == null) {
            throw new IllegalStateException("no fixture " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(String name) throws IOException {
        try (InputStream in =
                ParquetFileTest.class.getResourceAsStream("/fixtures/parquet/" + name)) {
            return in.readAllBytes();
        }
    }

    /** Every row group's values of a column, in order. */
    static List<byte[]> column(ParquetFile f, String column) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (int g = 0; g < f.rowGroupCount(); g++) {
            out.addAll(Arrays.asList(f.readBinary(g, column)));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "snappy-dictionary.parquet",
                "snappy-v2-dictionary.parquet",
                "uncompressed-plain-row-groups.parquet",
                "gzip-v2-delta.parquet"
            })
    void readsTheExactPngBytesNamesAndCaptions(String name) throws IOException {
        try (ParquetFile f = ParquetFile.open(fixture(name))) {
            assertEquals(List.of("image.bytes", "image.path", "text"), f.columns());
            assertEquals(4, f.rowCount());
            List<byte[]> png = column(f, "image.bytes");
            List<byte[]> path = column(f, "image.path");
            List<byte[]> text = column(f, "text");
            assertEquals(4, png.size());
            for (int i = 0; i < 4; i++) {
                String file = "tile-" + i + ".png";
                assertArrayEquals(bytes(file), png.get(i), name + " row " + i);
                assertEquals(file, new String(path.get(i), StandardCharsets.UTF_8));
                assertEquals(
                        i % 2 == 0 ? "calm" : "bright",
                        new String(text.get(i), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void theRowGroupFileHasOneGroupPerRow() throws IOException {
        try (ParquetFile f = ParquetFile.open(fixture("uncompressed-plain-row-groups.parquet"))) {
            assertTrue(f.rowGroupCount() > 1, "row groups: " + f.rowGroupCount());
            long rows = 0;
            for (int g = 0; g < f.rowGroupCount(); g++) {
                rows += f.rowCount(g);
            }
            assertEquals(4, rows);
        }
    }

    private Path damaged(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static String openError(Path p) {
        ParquetFormatException e =
                assertThrows(
                        ParquetFormatException.class,
                        () -> {
                            try (ParquetFile f = ParquetFile.open(p)) {
                                for (String c : f.columns()) {
                                    column(f, c);
                                }
                            }
                        });
        assertTrue(e.getMessage().startsWith(p.toString() + ": "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aTruncatedFileIsRefusedByName() throws IOException {
        byte[] all = bytes("snappy-dictionary.parquet");
        for (int cut : new int[] {0, 3, 11, all.length / 2, all.length - 1}) {
            String m = openError(damaged("cut-" + cut + ".parquet", Arrays.copyOf(all, cut)));
            assertTrue(m.contains("PAR1") || m.contains("too short"), m);
        }
    }

    @Test
    void aBadMagicIsRefused() throws IOException {
        byte[] all = bytes("snappy-dictionary.parquet");
        all[0] = 'X';
        assertTrue(openError(damaged("magic.parquet", all)).contains("no PAR1 at its start"));
    }

    @Test
    void aFooterLengthBeyondTheFileIsRefused() throws IOException {
        byte[] all = bytes("snappy-dictionary.parquet");
        ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).putInt(all.length - 8, 0x7fff_fff0);
        String m = openError(damaged("footer.parquet", all));
        assertTrue(m.contains("footer length 2147483632 is beyond"), m);
    }

    /** Where the first page header of the file starts (just after the magic, for Spark's files). */
    private static final int FIRST_PAGE = 4;

    @Test
    void aHugeClaimedPageSizeIsRefusedBeforeAllocating() throws IOException {
        String m = withFirstPageSizes(1 << 30, -1);
        assertTrue(m.contains("page of 1073741824 bytes is over the limit"), m);
        m = withFirstPageSizes(-1, 100_000);
        assertTrue(m.contains("page of 100000 bytes runs past its chunk"), m);
    }

    /**
     * The error for the uncompressed file with its first page header's sizes replaced (−1: kept).
     * The header starts with field 1 (type), 2 (uncompressed size), 3 (compressed size), zigzag
     * varints; a longer varint shifts the rest of the file, but the first chunk still starts at 4.
     */
    private String withFirstPageSizes(int uncompressed, int compressed) throws IOException {
        byte[] all = bytes("uncompressed-plain-row-groups.parquet");
        ThriftCompactReader in = new ThriftCompactReader(all, FIRST_PAGE, all.length - FIRST_PAGE);
        ParquetMetadata.PageHeader h = ParquetMetadata.pageHeader(in);
        assertEquals(ParquetMetadata.DATA_PAGE, h.type());
        byte[] original = pageHeaderPrefix(h.uncompressedSize(), h.compressedSize());
        assertArrayEquals(
                original, Arrays.copyOfRange(all, FIRST_PAGE, FIRST_PAGE + original.length));
        byte[] changed =
                pageHeaderPrefix(
                        uncompressed < 0 ? h.uncompressedSize() : uncompressed,
                        compressed < 0 ? h.compressedSize() : compressed);
        byte[] out = new byte[all.length - original.length + changed.length];
        System.arraycopy(all, 0, out, 0, FIRST_PAGE);
        System.arraycopy(changed, 0, out, FIRST_PAGE, changed.length);
        System.arraycopy(
                all,
                FIRST_PAGE + original.length,
                out,
                FIRST_PAGE + changed.length,
                all.length - FIRST_PAGE - original.length);
        return openError(damaged("page.parquet", out));
    }

    /** type DATA_PAGE, uncompressed_page_size, compressed_page_size in compact protocol. */
    private static byte[] pageHeaderPrefix(int uncompressed, int compressed) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.write(0x15); // delta 1, i32
        b.write(0); // zigzag(0)
        b.write(0x15);
        varint(b, (long) uncompressed << 1);
        b.write(0x15);
        varint(b, (long) compressed << 1);
        return b.toByteArray();
    }

    private static void varint(java.io.ByteArrayOutputStream b, long v) {
        while ((v & ~0x7fL) != 0) {
            b.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        b.write((int) v);
    }

    @Test
    void garbageBetweenTheMagicsIsACleanError() throws IOException {
        byte[] all = bytes("snappy-dictionary.parquet");
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        for (int trial = 0; trial < 200; trial++) {
            byte[] copy = all.clone();
            for (int k = 0; k < 1 + trial % 8; k++) {
                copy[4 + r.nextInt(copy.length - 12)] = (byte) r.nextInt(256);
            }
            Path p = damaged("noise.parquet", copy);
            try (ParquetFile f = ParquetFile.open(p)) {
                for (String c : f.columns()) {
                    column(f, c);
                }
            } catch (ParquetFormatException e) {
                assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
            }
        }
    }

    @Test
    void anUnknownColumnIsNamed() throws IOException {
        try (ParquetFile f = ParquetFile.open(fixture("snappy-dictionary.parquet"))) {
            ParquetFormatException e =
                    assertThrows(ParquetFormatException.class, () -> f.readBinary(0, "caption"));
            assertTrue(e.getMessage().contains("no column caption"), e.getMessage());
            assertNull(f.columns().stream().filter("caption"::equals).findFirst().orElse(null));
        }
    }
}
