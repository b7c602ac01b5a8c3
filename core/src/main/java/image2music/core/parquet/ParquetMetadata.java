package image2music.core.parquet;

import static image2music.core.parquet.ThriftCompactReader.BINARY;
import static image2music.core.parquet.ThriftCompactReader.BOOLEAN_TRUE;
import static image2music.core.parquet.ThriftCompactReader.I32;
import static image2music.core.parquet.ThriftCompactReader.I64;
import static image2music.core.parquet.ThriftCompactReader.LIST;
import static image2music.core.parquet.ThriftCompactReader.STRUCT;
import static image2music.core.parquet.ThriftCompactReader.expect;

import java.util.ArrayList;
import java.util.List;

/**
 * The parts of parquet-format's thrift definitions ({@code parquet.thrift}) this reader needs, as
 * records, with their decoders. Field ids are the thrift ones; fields not listed are skipped.
 */
final class ParquetMetadata {

    private ParquetMetadata() {}

    /** Physical types ({@code Type}). */
    static final int BYTE_ARRAY = 6;

    /** {@code FieldRepetitionType}. */
    static final int REQUIRED = 0;

    static final int OPTIONAL = 1;
    static final int REPEATED = 2;

    /** {@code Encoding}. */
    static final int PLAIN = 0;

    static final int PLAIN_DICTIONARY = 2;
    static final int RLE = 3;
    static final int BIT_PACKED = 4;
    static final int DELTA_BINARY_PACKED = 5;
    static final int DELTA_LENGTH_BYTE_ARRAY = 6;
    static final int DELTA_BYTE_ARRAY = 7;
    static final int RLE_DICTIONARY = 8;

    /** {@code CompressionCodec}. */
    static final int UNCOMPRESSED = 0;

    static final int SNAPPY = 1;
    static final int GZIP = 2;

    /** {@code PageType}. */
    static final int DATA_PAGE = 0;

    static final int DICTIONARY_PAGE = 2;
    static final int DATA_PAGE_V2 = 3;

    static String codecName(int codec) {
        String[] names = {
            "UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4", "ZSTD", "LZ4_RAW"
        };
        return codec >= 0 && codec < names.length ? names[codec] : "codec " + codec;
    }

    static String encodingName(int encoding) {
        String[] names = {
            "PLAIN",
            "GROUP_VAR_INT",
            "PLAIN_DICTIONARY",
            "RLE",
            "BIT_PACKED",
            "DELTA_BINARY_PACKED",
            "DELTA_LENGTH_BYTE_ARRAY",
            "DELTA_BYTE_ARRAY",
            "RLE_DICTIONARY",
            "BYTE_STREAM_SPLIT"
        };
        return encoding >= 0 && encoding < names.length ? names[encoding] : "encoding " + encoding;
    }

    /** {@code SchemaElement}: {@code type} and {@code repetition} are −1 when absent. */
    record SchemaElement(String name, int type, int repetition, int numChildren) {}

    /** {@code ColumnMetaData}, with {@code ColumnChunk.file_path}; −1 for absent offsets. */
    record ColumnChunk(
            String filePath,
            int type,
            List<String> path,
            int codec,
            long numValues,
            long totalUncompressedSize,
            long totalCompressedSize,
            long dataPageOffset,
            long dictionaryPageOffset) {}

    record RowGroup(List<ColumnChunk> columns, long numRows) {}

    record FileMetaData(List<SchemaElement> schema, long numRows, List<RowGroup> rowGroups) {}

    /**
     * {@code PageHeader} with the fields of whichever page header it holds: {@code numValues},
     * {@code encoding}, the level encodings (v1) or level byte lengths and {@code compressed} (v2).
     */
    record PageHeader(
            int type,
            int uncompressedSize,
            int compressedSize,
            int numValues,
            int encoding,
            int definitionLevelEncoding,
            int repetitionLevelEncoding,
            int definitionLevelsLength,
            int repetitionLevelsLength,
            boolean compressed) {}

    static FileMetaData fileMetaData(ThriftCompactReader in) throws ParquetFormatException {
        List<SchemaElement> schema = new ArrayList<>();
        List<RowGroup> groups = new ArrayList<>();
        long[] rows = {-1};
        in.struct(
                (r, id, type) -> {
                    switch (id) {
                        case 2 -> {
                            expect(id, type, LIST);
                            int[] h = r.listHeader();
                            expect(id, h[1], STRUCT);
                            for (int i = 0; i < h[0]; i++) {
                                schema.add(schemaElement(r));
                            }
                        }
                        case 3 -> {
                            expect(id, type, I64);
                            rows[0] = r.i64();
                        }
                        case 4 -> {
                            expect(id, type, LIST);
                            int[] h = r.listHeader();
                            expect(id, h[1], STRUCT);
                            for (int i = 0; i < h[0]; i++) {
                                groups.add(rowGroup(r));
                            }
                        }
                        default -> {
                            return false;
                        }
                    }
                    return true;
                });
        if (schema.isEmpty()) {
            throw new ParquetFormatException("footer has no schema");
        }
        if (rows[0] < 0) {
            throw new ParquetFormatException("footer has no row count");
        }
        return new FileMetaData(List.copyOf(schema), rows[0], List.copyOf(groups));
    }

    private static SchemaElement schemaElement(ThriftCompactReader in)
            throws ParquetFormatException {
        int[] v = {-1, -1, 0};
        String[] name = {null};
        in.struct(
                (r, id, type) -> {
                    switch (id) {
                        case 1 -> {
                            expect(id, type, I32);
                            v[0] = r.i32();
                        }
                        case 3 -> {
                            expect(id, type, I32);
                            v[1] = r.i32();
                        }
                        case 4 -> {
                            expect(id, type, BINARY);
                            name[0] = r.string();
                        }
                        case 5 -> {
                            expect(id, type, I32);
                            v[2] = r.i32();
                        }
                        default -> {
                            return false;
                        }
                    }
                    return true;
                });
        if (name[0] == null) {
            throw new ParquetFormatException("schema element without a name");
        }
        if (v[2] < 0) {
            throw new ParquetFormatException(
                    "schema element '" + name[0] + "' has " + v[2] + " children");
        }
        return new SchemaElement(name[0], v[0], v[1], v[2]);
    }

    private static RowGroup rowGroup(ThriftCompactReader in) throws ParquetFormatException {
        List<ColumnChunk> columns = new ArrayList<>();
        long[] rows = {-1};
        in.struct(
                (r, id, type) -> {
                    switch (id) {
                        case 1 -> {
                            expect(id, type, LIST);
                            int[] h = r.listHeader();
                            expect(id, h[1], STRUCT);
                            for (int i = 0; i < h[0]; i++) {
                                columns.add(columnChunk(r));
                            }
                        }
                        case 3 -> {
                            expect(id, type, I64);
                            rows[0] = r.i64();
                        }
                        default -> {
                            return false;
                        }
                    }
                    return true;
                });
        if (rows[0] < 0) {
            throw new ParquetFormatException("row group without a row count");
        }
        return new RowGroup(List.copyOf(columns), rows[0]);
    }

    private static ColumnChunk columnChunk(ThriftCompactReader in) throws ParquetFormatException {
        String[] filePath = {null};
        ColumnChunk[] meta = {null};
        in.struct(
                (r, id, type) -> {
                    switch (id) {
                        case 1 -> {
                            expect(id, type, BINARY);
                            filePath[0] = r.string();
                        }
                        case 3 -> {
                            expect(id, type, STRUCT);
                            meta[0] = columnMetaData(r);
                        }
                        default -> {
                            return false;
                        }
                    }
                    return true;
                });
        if (meta[0] == null) {
            throw new ParquetFormatException(
                    "column chunk without metadata (encrypted files are not read)");
        }
        ColumnChunk m = meta[0];
        return new ColumnChunk(
                filePath[0],
                m.type(),
                m.path(),
                m.codec(),
                m.numValues(),
                m.totalUncompressedSize(),
                m.totalCompressedSize(),
                m.dataPageOffset(),
                m.dictionaryPageOffset());
    }

    private static ColumnChunk columnMetaData(ThriftCompactReader in)
            throws ParquetFormatException {
        int[] v = {-1, -1};
        long[] l = {-1, -1, -1, -1, -1};
        List<String> path = new ArrayList<>();
        in.struct(
                (r, id, type) -> {
                    switch (id) {
                        case 1 -> {
                            expect(id, type, I32);
                            v[0] = r.i32();
                        }
                        case 3 -> {
                            expect(id, type, LIST);
                            int[] h = r.listHeader();
                            expect(id, h[1], BINARY);
                            for (int i = 0; i < h[0]; i++) {
                                path.add(r.string());
                            }
                        }
                        case 4 -> {
                            expect(id, type, I32);
                            v[1] = r.i32();
                        }
                        case 5, 6, 7, 9, 11 -> {
                            expect(id, type, I64);
                            long x = r.i64();
                            l[id == 5 ? 0 : id == 6 ? 1 : id == 7 ? 2 : id == 9 ? 3 : 4] = x;
                        }
                        default -> {
                            return false;
                        }
                    }
                    return true;
                });
        if (path.isEmpty() || v[0] < 0 || v[1] < 0 || l[0] < 0 || l[2] < 0 || l[3] < 0) {
            throw new ParquetFormatException(
                    "column metadata lacks its type, path, codec, value count, size or offset");
        }
        return new ColumnChunk(null, v[0], List.copyOf(path), v[1], l[0], l[1], l[2], l[3], l[4]);
    }

    static PageHeader pageHeader(ThriftCompactReader in) throws ParquetFormatException {
        // type, uncompressed, compressed, values, encoding, def enc, rep enc, def len, rep len
        int[] v = {-1, -1, -1, -1, -1, RLE, RLE, 0, 0};
        boolean[] compressed = {true};
        in.struct(
                (r, id, type) -> {
                    switch (id) {
                        case 1, 2, 3 -> {
                            expect(id, type, I32);
                            v[id - 1] = r.i32();
                        }
                        case 5, 7 -> {
                            expect(id, type, STRUCT);
                            r.struct(
                                    (s, sid, stype) -> {
                                        if (sid >= 1 && (sid <= 2 || (id == 5 && sid <= 4))) {
                                            expect(sid, stype, I32);
                                            v[sid + 2] = s.i32();
                                            return true;
                                        }
                                        return false;
                                    });
                        }
                        case 8 -> {
                            expect(id, type, STRUCT);
                            r.struct(
                                    (s, sid, stype) -> {
                                        switch (sid) {
                                            case 1 -> {
                                                expect(sid, stype, I32);
                                                v[3] = s.i32();
                                            }
                                            case 4 -> {
                                                expect(sid, stype, I32);
                                                v[4] = s.i32();
                                            }
                                            case 5 -> {
                                                expect(sid, stype, I32);
                                                v[7] = s.i32();
                                            }
                                            case 6 -> {
                                                expect(sid, stype, I32);
                                                v[8] = s.i32();
                                            }
                                            case 7 -> {
                                                expect(sid, stype, BOOLEAN_TRUE);
                                                compressed[0] = s.bool();
                                            }
                                            default -> {
                                                return false;
                                            }
                                        }
                                        return true;
                                    });
                        }
                        default -> {
                            return false;
                        }
                    }
                    return true;
                });
        if (v[0] < 0 || v[1] < 0 || v[2] < 0) {
            throw new ParquetFormatException("page header lacks its type or sizes");
        }
        return new PageHeader(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], compressed[0]);
    }
}
