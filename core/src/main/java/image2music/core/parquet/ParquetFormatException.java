package image2music.core.parquet;

import java.io.IOException;

/**
 * A Parquet file that breaks the format or uses a part of it this reader does not implement. The
 * message says what; {@link ParquetFile} puts the file's name in front.
 */
public class ParquetFormatException extends IOException {

    public ParquetFormatException(String message) {
        super(message);
    }
}
