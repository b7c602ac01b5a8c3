package image2music.core.parquet;

import static image2music.core.parquet.ParquetMetadata.BIT_PACKED;
import static image2music.core.parquet.ParquetMetadata.BYTE_ARRAY;
import static image2music.core.parquet.ParquetMetadata.DATA_PAGE;
import static image2music.core.parquet.ParquetMetadata.DATA_PAGE_V2;
import static image2music.core.parquet.ParquetMetadata.DELTA_BYTE_ARRAY;
import static image2music.core.parquet.ParquetMetadata.DELTA_LENGTH_BYTE_ARRAY;
import static image2music.core.parquet.ParquetMetadata.DICTIONARY_PAGE;
import static image2music.core.parquet.ParquetMetadata.GZIP;
import static image2music.core.parquet.ParquetMetadata.OPTIONAL;
import static image2music.core.parquet.ParquetMetadata.PLAIN;
import static image2music.core.parquet.ParquetMetadata.PLAIN_DICTIONARY;
import static image2music.core.parquet.ParquetMetadata.REPEATED;
import static image2music.core.parquet.ParquetMetadata.RLE;
import static image2music.core.parquet.ParquetMetadata.RLE_DICTIONARY;
import static image2music.core.parquet.ParquetMetadata.SNAPPY;
import static image2music.core.parquet.ParquetMetadata.UNCOMPRESSED;

import image2music.core.io.InputFiles;
import image2music.core.parquet.ParquetMetadata.ColumnChunk;
import image2music.core.parquet.ParquetMetadata.FileMetaData;
import image2music.core.parquet.ParquetMetadata.PageHeader;
import image2music.core.parquet.ParquetMetadata.RowGroup;
import image2music.core.parquet.ParquetMetadata.SchemaElement;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads byte-array columns of a Parquet file, one column of one row group at a time — enough for a
 * HuggingFace {@code datasets} image table ({@code image} struct&lt;bytes, path&gt;, {@code text})
 * as pyarrow, Spark or {@code build-dataset --format parquet} write it, without Hadoop.
 *
 * <p>Implemented: the footer ({@code FileMetaData} in thrift's compact protocol), flat and nested
 * (struct) non-repeated columns, data pages v1 and v2, dictionary pages, the PLAIN,
 * PLAIN_DICTIONARY / RLE_DICTIONARY, DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY encodings of
 * BYTE_ARRAY values, RLE/bit-packed definition levels, and the UNCOMPRESSED, SNAPPY and GZIP
 * codecs. Anything else (repeated columns, ZSTD, encryption, column data in another file) is
 * refused by name.
 *
 * <p>Only the column asked for is read (its chunk's byte range, page by page), so memory is one
 * column of one row group. Every size read from the file is checked against the file and the limits
 * below before anything is allocated: a truncated, corrupt or hostile file gives a {@link
 * ParquetFormatException} whose message starts with the file's name, never an out-of-memory error
 * or an endless loop. Not thread-safe.
 */
public final class ParquetFile implements Closeable {

    /** Largest footer read (a footer with thousands of row groups is a few MB). */
    public static final int MAX_FOOTER_BYTES = 64 << 20;

    /** Largest page, compressed or not (one value's bytes must fit in one page). */
    public static final int MAX_PAGE_BYTES = 512 << 20;

    /** Largest decoded column of one row group (the sum of its pages' uncompressed sizes). */
    public static final long MAX_COLUMN_BYTES = 2L << 30;

    /**
     * Most rows of one row group (pyarrow's default row group is 1 Mi rows; HuggingFace's image
     * tables use 100): a column of a row group costs up to 12 bytes a row before any value.
     */
    public static final long MAX_ROWS_PER_GROUP = 1L << 22;

    /** Largest page header (their statistics are small; 16 MiB leaves room for odd writers). */
    static final int MAX_PAGE_HEADER_BYTES = 16 << 20;

    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    /** A leaf column: its path, levels and physical type. */
    private record Leaf(List<String> path, int maxDefinition, int maxRepetition, int type) {}

    private final Path file;
    private final FileChannel channel;
    private final long dataEnd;
    private final FileMetaData meta;
    private final Map<String, Leaf> leaves;

    private ParquetFile(
            Path file, FileChannel channel, long dataEnd, FileMetaData meta, Map<String, Leaf> l) {
        this.file = file;
        this.channel = channel;
        this.dataEnd = dataEnd;
        this.meta = meta;
        this.leaves = l;
    }

    /**
     * Opens {@code file} and reads its footer.
     *
     * @throws ParquetFormatException naming the file: not Parquet, truncated, a footer beyond the
     *     file, a schema or row group this reader refuses
     */
    public static ParquetFile open(Path file) throws IOException {
        long size = InputFiles.requireRegularFile(file, Long.MAX_VALUE, "a Parquet file");
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            if (size < 12) {
                throw new ParquetFormatException(
                        "not a Parquet file (" + size + " bytes, too short)");
            }
            byte[] head = read(ch, 0, 4);
            byte[] tail = read(ch, size - 8, 8);
            if (!Arrays.equals(head, MAGIC)) {
                throw new ParquetFormatException("not a Parquet file (no PAR1 at its start)");
            }
            byte[] tailMagic = Arrays.copyOfRange(tail, 4, 8);
            if (Arrays.equals(tailMagic, "PARE".getBytes(StandardCharsets.US_ASCII))) {
                throw new ParquetFormatException("encrypted Parquet files are not read");
            }
            if (!Arrays.equals(tailMagic, MAGIC)) {
                throw new ParquetFormatException(
                        "no PAR1 at its end: truncated or not a Parquet file");
            }
            long footer =
                    ByteBuffer.wrap(tail, 0, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt()
                            & 0xffffffffL;
            if (footer == 0 || footer > size - 12) {
                throw new ParquetFormatException(
                        "footer length "
                                + footer
                                + " is beyond the file's "
                                + size
                                + " bytes (truncated or corrupt)");
            }
            if (footer > MAX_FOOTER_BYTES) {
                throw new ParquetFormatException(
                        "footer of " + footer + " bytes is over the limit of " + MAX_FOOTER_BYTES);
            }
            long dataEnd = size - 8 - footer;
            byte[] bytes = read(ch, dataEnd, (int) footer);
            FileMetaData meta;
            try {
                meta =
                        ParquetMetadata.fileMetaData(
                                new ThriftCompactReader(bytes, 0, bytes.length));
            } catch (ThriftCompactReader.Truncated e) {
                throw new ParquetFormatException("footer cut short (corrupt)");
            }
            for (RowGroup g : meta.rowGroups()) {
                if (g.numRows() > MAX_ROWS_PER_GROUP) {
                    throw new ParquetFormatException(
                            "a row group of "
                                    + g.numRows()
                                    + " rows is over the limit of "
                                    + MAX_ROWS_PER_GROUP);
                }
            }
            return new ParquetFile(file, ch, dataEnd, meta, leaves(meta.schema()));
        } catch (ParquetFormatException e) {
            ch.close();
            throw new ParquetFormatException(file + ": " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw new ParquetFormatException(file + ": unreadable Parquet (" + e + ")");
        }
    }

    /** The leaf columns by dotted path, from the flattened (depth-first) schema. */
    private static Map<String, Leaf> leaves(List<SchemaElement> schema)
            throws ParquetFormatException {
        Map<String, Leaf> out = new LinkedHashMap<>();
        int[] next = {1};
        walk(schema, schema.get(0).numChildren(), List.of(), 0, 0, next, out, 0);
        if (next[0] != schema.size()) {
            throw new ParquetFormatException(
                    "schema lists " + schema.size() + " elements, its tree " + next[0]);
        }
        return Collections.unmodifiableMap(out);
    }

    private static void walk(
            List<SchemaElement> schema,
            int children,
            List<String> prefix,
            int def,
            int rep,
            int[] next,
            Map<String, Leaf> out,
            int depth)
            throws ParquetFormatException {
        if (depth > 64) {
            throw new ParquetFormatException("schema nested deeper than 64");
        }
        for (int c = 0; c < children; c++) {
            if (next[0] >= schema.size()) {
                throw new ParquetFormatException("schema tree needs more elements than it lists");
            }
            SchemaElement e = schema.get(next[0]++);
            List<String> path = new ArrayList<>(prefix);
            path.add(e.name());
            int d = def + (e.repetition() == OPTIONAL || e.repetition() == REPEATED ? 1 : 0);
            int r = rep + (e.repetition() == REPEATED ? 1 : 0);
            if (e.numChildren() > 0) {
                walk(schema, e.numChildren(), List.copyOf(path), d, r, next, out, depth + 1);
            } else {
                out.put(String.join(".", path), new Leaf(List.copyOf(path), d, r, e.type()));
            }
        }
    }

    public Path file() {
        return file;
    }

    /** The rows of the whole file. */
    public long rowCount() {
        return meta.numRows();
    }

    public int rowGroupCount() {
        return meta.rowGroups().size();
    }

    public long rowCount(int rowGroup) {
        return meta.rowGroups().get(rowGroup).numRows();
    }

    /** The leaf columns' dotted paths ({@code image.bytes}, {@code text}), in schema order. */
    public List<String> columns() {
        return List.copyOf(leaves.keySet());
    }

    /**
     * The values of byte-array column {@code column} (a dotted path such as {@code image.bytes}) in
     * row group {@code rowGroup}, one per row, null where the value or a struct above it is null.
     * Values repeated through a dictionary are one shared array: do not modify them.
     *
     * @throws ParquetFormatException naming the file, column and row group
     */
    public byte[][] readBinary(int rowGroup, String column) throws IOException {
        String where = file + ": column " + column + ", row group " + rowGroup + ": ";
        Leaf leaf = leaves.get(column);
        if (leaf == null) {
            throw new ParquetFormatException(
                    file + ": no column " + column + " (has " + columns() + ")");
        }
        if (rowGroup < 0 || rowGroup >= rowGroupCount()) {
            throw new IllegalArgumentException(where + "no such row group");
        }
        try {
            return readChunk(leaf, meta.rowGroups().get(rowGroup));
        } catch (ParquetFormatException e) {
            throw new ParquetFormatException(where + e.getMessage());
        } catch (IOException | RuntimeException e) {
            throw new ParquetFormatException(where + "unreadable (" + e + ")");
        }
    }

    private byte[][] readChunk(Leaf leaf, RowGroup group) throws IOException {
        if (leaf.maxRepetition() > 0) {
            throw new ParquetFormatException("repeated (list) columns are not read");
        }
        if (leaf.type() != BYTE_ARRAY) {
            throw new ParquetFormatException(
                    "physical type " + leaf.type() + " is not BYTE_ARRAY (binary or string)");
        }
        ColumnChunk chunk = null;
        for (ColumnChunk c : group.columns()) {
            if (c.path().equals(leaf.path())) {
                chunk = c;
            }
        }
        if (chunk == null) {
            throw new ParquetFormatException("the row group has no chunk of this column");
        }
        if (chunk.filePath() != null) {
            throw new ParquetFormatException(
                    "its data is in another file (" + chunk.filePath() + "), which is not read");
        }
        if (chunk.type() != BYTE_ARRAY) {
            throw new ParquetFormatException("chunk type " + chunk.type() + " is not BYTE_ARRAY");
        }
        int codec = chunk.codec();
        if (codec != UNCOMPRESSED && codec != SNAPPY && codec != GZIP) {
            throw new ParquetFormatException(
                    "compression "
                            + ParquetMetadata.codecName(codec)
                            + " is not read (write with snappy, gzip or none)");
        }
        long rows = group.numRows();
        if (chunk.numValues() != rows) {
            throw new ParquetFormatException(
                    "chunk holds " + chunk.numValues() + " values for " + rows + " rows");
        }
        long start = chunk.dataPageOffset();
        if (chunk.dictionaryPageOffset() > 0 && chunk.dictionaryPageOffset() < start) {
            start = chunk.dictionaryPageOffset();
        }
        long end = start + chunk.totalCompressedSize();
        if (start < 4 || chunk.totalCompressedSize() < 0 || end > dataEnd || end < start) {
            throw new ParquetFormatException(
                    "chunk at ["
                            + start
                            + ", +"
                            + chunk.totalCompressedSize()
                            + ") lies outside the file's data (truncated or corrupt)");
        }
        byte[][] out = new byte[(int) rows][];
        byte[][] dictionary = null;
        int filled = 0;
        long decoded = 0;
        long pos = start;
        while (filled < rows) {
            if (pos >= end) {
                throw new ParquetFormatException(
                        "chunk ends after " + filled + " of " + rows + " values");
            }
            long[] headerEnd = {0};
            PageHeader h = pageHeader(pos, end, headerEnd);
            pos = headerEnd[0];
            if (h.compressedSize() > MAX_PAGE_BYTES || h.uncompressedSize() > MAX_PAGE_BYTES) {
                throw new ParquetFormatException(
                        "page of "
                                + Math.max(h.compressedSize(), h.uncompressedSize())
                                + " bytes is over the limit of "
                                + MAX_PAGE_BYTES);
            }
            if (h.compressedSize() > end - pos) {
                throw new ParquetFormatException(
                        "page of "
                                + h.compressedSize()
                                + " bytes runs past its chunk ("
                                + (end - pos)
                                + " left)");
            }
            decoded += h.uncompressedSize();
            if (decoded > MAX_COLUMN_BYTES) {
                throw new ParquetFormatException(
                        "over " + MAX_COLUMN_BYTES + " bytes in one row group's column");
            }
            if (h.type() != DICTIONARY_PAGE && h.type() != DATA_PAGE && h.type() != DATA_PAGE_V2) {
                pos += h.compressedSize(); // index pages and future kinds: not needed
                continue;
            }
            byte[] raw = read(channel, pos, h.compressedSize());
            pos += h.compressedSize();
            if (h.numValues() < 0) {
                throw new ParquetFormatException("page without a value count");
            }
            switch (h.type()) {
                case DICTIONARY_PAGE -> {
                    if (dictionary != null || filled > 0) {
                        throw new ParquetFormatException("a second dictionary page");
                    }
                    if (h.encoding() != PLAIN && h.encoding() != PLAIN_DICTIONARY) {
                        throw new ParquetFormatException(
                                "dictionary in " + ParquetMetadata.encodingName(h.encoding()));
                    }
                    byte[] page = decompress(codec, raw, 0, raw.length, h.uncompressedSize());
                    dictionary = plain(page, 0, page.length, h.numValues());
                }
                case DATA_PAGE -> {
                    byte[] page = decompress(codec, raw, 0, raw.length, h.uncompressedSize());
                    filled = dataPage(h, leaf, page, page, dictionary, out, filled);
                }
                default -> {
                    int levels = h.definitionLevelsLength() + h.repetitionLevelsLength();
                    if (h.definitionLevelsLength() < 0
                            || h.repetitionLevelsLength() < 0
                            || levels > raw.length
                            || levels > h.uncompressedSize()) {
                        throw new ParquetFormatException("v2 page levels run past the page");
                    }
                    byte[] values =
                            h.compressed() && codec != UNCOMPRESSED
                                    ? decompress(
                                            codec,
                                            raw,
                                            levels,
                                            raw.length - levels,
                                            h.uncompressedSize() - levels)
                                    : Arrays.copyOfRange(raw, levels, raw.length);
                    filled = dataPage(h, leaf, raw, values, dictionary, out, filled);
                }
            }
        }
        return out;
    }

    /**
     * Decodes one data page's levels and values into {@code out[filled, …)}. For v1, {@code values}
     * is the decompressed page (levels, then values); for v2, {@code levels} is the raw page
     * (levels are never compressed; repetition levels first) and {@code values} the decompressed
     * rest.
     *
     * @return the new fill
     */
    private static int dataPage(
            PageHeader h,
            Leaf leaf,
            byte[] levels,
            byte[] values,
            byte[][] dictionary,
            byte[][] out,
            int filled)
            throws ParquetFormatException {
        int n = h.numValues();
        if (n > out.length - filled) {
            throw new ParquetFormatException(
                    "page of " + n + " values where " + (out.length - filled) + " rows are left");
        }
        int[] def = new int[n];
        int pos;
        if (h.type() == DATA_PAGE) {
            pos = 0;
            if (leaf.maxDefinition() > 0) {
                if (h.definitionLevelEncoding() == BIT_PACKED) {
                    throw new ParquetFormatException("deprecated BIT_PACKED levels are not read");
                }
                if (h.definitionLevelEncoding() != RLE) {
                    throw new ParquetFormatException(
                            "definition levels in "
                                    + ParquetMetadata.encodingName(h.definitionLevelEncoding()));
                }
                if (values.length < 4) {
                    throw new ParquetFormatException("page too short for its levels");
                }
                long len =
                        ByteBuffer.wrap(values, 0, 4)
                                        .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                                        .getInt()
                                & 0xffffffffL;
                if (len > values.length - 4) {
                    throw new ParquetFormatException(
                            "levels of " + len + " bytes run past the page");
                }
                RleBitPackedHybrid.decode(
                        values,
                        4,
                        (int) len,
                        RleBitPackedHybrid.bitWidth(leaf.maxDefinition()),
                        def,
                        n);
                pos = 4 + (int) len;
            }
        } else {
            if (leaf.maxDefinition() > 0) {
                RleBitPackedHybrid.decode(
                        levels,
                        h.repetitionLevelsLength(),
                        h.definitionLevelsLength(),
                        RleBitPackedHybrid.bitWidth(leaf.maxDefinition()),
                        def,
                        n);
            }
            pos = 0;
        }
        int present = 0;
        for (int i = 0; i < n; i++) {
            if (leaf.maxDefinition() == 0) {
                def[i] = 0;
            } else if (def[i] > leaf.maxDefinition()) {
                throw new ParquetFormatException(
                        "definition level "
                                + def[i]
                                + " over the column's "
                                + leaf.maxDefinition());
            }
            if (def[i] == leaf.maxDefinition()) {
                present++;
            }
        }
        byte[][] v =
                switch (h.encoding()) {
                    case PLAIN -> plain(values, pos, values.length - pos, present);
                    case PLAIN_DICTIONARY, RLE_DICTIONARY -> {
                        if (dictionary == null) {
                            throw new ParquetFormatException(
                                    "dictionary indices without a dictionary");
                        }
                        yield indices(values, pos, dictionary, present);
                    }
                    case DELTA_LENGTH_BYTE_ARRAY ->
                            DeltaEncodings.lengthByteArray(
                                    new DeltaEncodings.Cursor(values, pos, values.length), present);
                    case DELTA_BYTE_ARRAY ->
                            DeltaEncodings.byteArray(
                                    new DeltaEncodings.Cursor(values, pos, values.length),
                                    present,
                                    MAX_PAGE_BYTES);
                    default ->
                            throw new ParquetFormatException(
                                    "values in "
                                            + ParquetMetadata.encodingName(h.encoding())
                                            + " are not read");
                };
        int k = 0;
        for (int i = 0; i < n; i++) {
            out[filled + i] = def[i] == leaf.maxDefinition() ? v[k++] : null;
        }
        return filled + n;
    }

    /** {@code count} PLAIN byte arrays: each a 4-byte little-endian length and its bytes. */
    static byte[][] plain(byte[] buf, int off, int len, int count) throws ParquetFormatException {
        if (count > len / 4 && count > 0) {
            throw new ParquetFormatException(count + " values cannot fit in " + len + " bytes");
        }
        byte[][] out = new byte[count][];
        int pos = off;
        int end = off + len;
        for (int i = 0; i < count; i++) {
            if (end - pos < 4) {
                throw new ParquetFormatException("values end after " + i + " of " + count);
            }
            long n =
                    (buf[pos] & 0xffL)
                            | (buf[pos + 1] & 0xffL) << 8
                            | (buf[pos + 2] & 0xffL) << 16
                            | (buf[pos + 3] & 0xffL) << 24;
            pos += 4;
            if (n > end - pos) {
                throw new ParquetFormatException(
                        "value " + i + " of " + n + " bytes runs past the page");
            }
            out[i] = Arrays.copyOfRange(buf, pos, pos + (int) n);
            pos += (int) n;
        }
        return out;
    }

    private static byte[][] indices(byte[] buf, int off, byte[][] dictionary, int count)
            throws ParquetFormatException {
        if (count == 0) {
            return new byte[0][];
        }
        if (off >= buf.length) {
            throw new ParquetFormatException("dictionary indices missing");
        }
        int width = buf[off] & 0xff;
        int[] idx = new int[count];
        RleBitPackedHybrid.decode(buf, off + 1, buf.length - off - 1, width, idx, count);
        byte[][] out = new byte[count][];
        for (int i = 0; i < count; i++) {
            if (idx[i] < 0 || idx[i] >= dictionary.length) {
                throw new ParquetFormatException(
                        "dictionary index " + idx[i] + " of " + dictionary.length + " entries");
            }
            out[i] = dictionary[idx[i]];
        }
        return out;
    }

    /** Reads a page header at {@code pos}, from a window grown until it holds the header. */
    private PageHeader pageHeader(long pos, long end, long[] headerEnd) throws IOException {
        long left = end - pos;
        int window = (int) Math.min(left, 8 << 10);
        while (true) {
            byte[] buf = read(channel, pos, window);
            ThriftCompactReader in = new ThriftCompactReader(buf, 0, buf.length);
            try {
                PageHeader h = ParquetMetadata.pageHeader(in);
                headerEnd[0] = pos + in.position();
                return h;
            } catch (ThriftCompactReader.Truncated e) {
                if (window >= left || window >= MAX_PAGE_HEADER_BYTES) {
                    throw new ParquetFormatException(
                            window >= left
                                    ? "page header runs past its chunk (truncated or corrupt)"
                                    : "page header over " + MAX_PAGE_HEADER_BYTES + " bytes");
                }
                window = (int) Math.min(Math.min(left, MAX_PAGE_HEADER_BYTES), 4L * window);
            }
        }
    }

    private static byte[] decompress(int codec, byte[] src, int off, int len, int size)
            throws ParquetFormatException {
        if (size < 0) {
            throw new ParquetFormatException("page of " + size + " bytes");
        }
        switch (codec) {
            case UNCOMPRESSED -> {
                if (len != size) {
                    throw new ParquetFormatException(
                            "uncompressed page of " + len + " bytes claims " + size);
                }
                return off == 0 && len == src.length
                        ? src
                        : Arrays.copyOfRange(src, off, off + len);
            }
            case SNAPPY -> {
                return Snappy.decompress(src, off, len, size);
            }
            default -> {
                byte[] out = new byte[size];
                try (GZIPInputStream in =
                        new GZIPInputStream(new ByteArrayInputStream(src, off, len))) {
                    int n = in.readNBytes(out, 0, size);
                    if (n != size || in.read() != -1) {
                        throw new ParquetFormatException(
                                "gzip page does not inflate to the " + size + " bytes it claims");
                    }
                } catch (ZipException | EOFException e) {
                    throw new ParquetFormatException("corrupt gzip page (" + e.getMessage() + ")");
                } catch (ParquetFormatException e) {
                    throw e;
                } catch (IOException e) {
                    throw new ParquetFormatException("unreadable gzip page (" + e + ")");
                }
                return out;
            }
        }
    }

    /** Exactly {@code n} bytes at {@code pos}. */
    private static byte[] read(FileChannel ch, long pos, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                throw new ParquetFormatException("ends early (truncated while being read?)");
            }
        }
        return b.array();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
