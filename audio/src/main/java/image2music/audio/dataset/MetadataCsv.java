package image2music.audio.dataset;

import image2music.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code metadata.csv} of a HuggingFace imagefolder: header {@code file_name,text}, RFC 4180
 * quoting (fields with a comma, quote or line break are quoted, quotes doubled), CRLF line ends.
 */
public final class MetadataCsv {

    /** One image and its caption. */
    public record Row(String fileName, String text) {}

    private MetadataCsv() {}

    public static void write(Path file, List<Row> rows) throws IOException {
        StringBuilder sb = new StringBuilder("file_name,text\r\n");
        for (Row r : rows) {
            sb.append(quote(r.fileName())).append(',').append(quote(r.text())).append("\r\n");
        }
        AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    static String quote(String field) {
        if (field.indexOf(',') < 0
                && field.indexOf('"') < 0
                && field.indexOf('\n') < 0
                && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }
}
