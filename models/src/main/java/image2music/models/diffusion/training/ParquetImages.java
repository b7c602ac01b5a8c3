package image2music.models.diffusion.training;

import image2music.core.parquet.ParquetFile;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The encoded images of one Parquet file of a training table, served a row group at a time: the
 * {@code image.bytes} column of the row group last asked for is kept, so reading the rows in order
 * decodes each row group once and holds one in memory. Thread-safe.
 */
public final class ParquetImages {

    /** The image column of HuggingFace's Image feature. */
    static final String BYTES = "image.bytes";

    private final Path file;
    private int cachedGroup = -1;
    private byte[][] cached;

    ParquetImages(Path file) {
        this.file = file;
    }

    /** The Parquet file. */
    public Path file() {
        return file;
    }

    /** The encoded image of row {@code index} of row group {@code rowGroup}. */
    synchronized byte[] bytes(int rowGroup, int index) throws IOException {
        if (rowGroup != cachedGroup) {
            cached = null;
            try (ParquetFile f = ParquetFile.open(file)) {
                cached = f.readBinary(rowGroup, BYTES);
            }
            cachedGroup = rowGroup;
        }
        if (index < 0 || index >= cached.length || cached[index] == null) {
            throw new IOException(
                    file + ": row group " + rowGroup + " has no image at row " + index);
        }
        return cached[index];
    }
}
