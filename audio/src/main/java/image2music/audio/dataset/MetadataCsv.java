package image2music.audio.dataset;

import image2music.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code metadata.csv} of a HuggingFace imagefolder: header {@code file_name,text}, RFC 4180
 * quoting (fields with a comma, quote or line break are quoted, quotes doubled), CRLF line ends.
 * Reading accepts what diffusers' {@code load_dataset("imagefolder")} accepts: LF or CRLF, extra
 * columns in any order (ignored), a UTF-8 byte-order mark.
 */
public final class MetadataCsv {

    /** One image and its caption. */
    public record Row(String fileName, String text) {}

    /** A {@code metadata.csv} that cannot be read as a caption table; the message names it. */
    public static final class FormatException extends IOException {
        FormatException(Path file, int line, String problem) {
            super(file + (line > 0 ? ": line " + line : "") + ": " + problem);
        }
    }

    /** Larger than any caption table of a dataset that fits on a disk: refuse before reading. */
    static final long MAX_BYTES = 256L << 20;

    public static final String FILE_NAME = "metadata.csv";

    private MetadataCsv() {}

    /**
     * The rows of {@code file}, in order.
     *
     * @throws FormatException for a missing {@code file_name} or {@code text} column, an unclosed
     *     quote, a row with too few fields, an empty or repeated file name, or a file over 256 MiB
     */
    public static List<Row> read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new FormatException(file, 0, size + " bytes is over the " + MAX_BYTES + " limit");
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<List<String>> records = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        parse(file, text, records, lines);
        if (records.isEmpty()) {
            throw new FormatException(file, 0, "empty: no header 'file_name,text'");
        }
        List<String> header = records.get(0);
        int nameCol = header.indexOf("file_name");
        int textCol = header.indexOf("text");
        if (nameCol < 0 || textCol < 0) {
            throw new FormatException(
                    file, 1, "the header " + header + " has no 'file_name' and 'text' columns");
        }
        List<Row> rows = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < records.size(); i++) {
            List<String> r = records.get(i);
            int line = lines.get(i);
            if (r.size() == 1 && r.get(0).isEmpty()) {
                continue; // a blank line
            }
            if (r.size() <= Math.max(nameCol, textCol)) {
                throw new FormatException(
                        file, line, r.size() + " fields, the header has " + header.size());
            }
            String name = r.get(nameCol);
            if (name.isEmpty()) {
                throw new FormatException(file, line, "empty file_name");
            }
            if (!seen.add(name)) {
                throw new FormatException(file, line, "'" + name + "' is listed twice");
            }
            rows.add(new Row(name, r.get(textCol)));
        }
        return rows;
    }

    private static void parse(
            Path file, String text, List<List<String>> records, List<Integer> lines)
            throws FormatException {
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int recordLine = 1;
        int i = 0;
        int n = text.length();
        boolean any = false;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '"' && field.isEmpty()) {
                int start = line;
                i++;
                while (true) {
                    if (i >= n) {
                        throw new FormatException(file, start, "a quoted field is not closed");
                    }
                    char q = text.charAt(i);
                    if (q == '"') {
                        if (i + 1 < n && text.charAt(i + 1) == '"') {
                            field.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    if (q == '\n') {
                        line++;
                    }
                    field.append(q);
                    i++;
                }
                any = true;
                continue;
            }
            if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
                any = true;
            } else if (c == '\r' || c == '\n') {
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                record.add(field.toString());
                field.setLength(0);
                records.add(record);
                lines.add(recordLine);
                record = new ArrayList<>();
                line++;
                recordLine = line;
                any = false;
            } else {
                field.append(c);
                any = true;
            }
            i++;
        }
        if (any || !field.isEmpty()) {
            record.add(field.toString());
            records.add(record);
            lines.add(recordLine);
        }
    }

    public static void write(Path file, List<Row> rows) throws IOException {
        AtomicFiles.write(file, encode(rows));
    }

    /** The file's bytes (UTF-8, CRLF, header first) for these rows, for writers other than NIO. */
    public static byte[] encode(List<Row> rows) {
        StringBuilder sb = new StringBuilder("file_name,text\r\n");
        for (Row r : rows) {
            sb.append(quote(r.fileName())).append(',').append(quote(r.text())).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
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
