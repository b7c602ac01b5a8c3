package image2music.core.manifest;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import image2music.core.io.ErrorText;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code manifest.jsonl} of a media root: one {@link MediaRecord} as JSON per line.
 *
 * <p>Appends are crash-safe and may come from several threads (and processes): each record is one
 * write of a complete line under a lock, forced to disk before {@link #append} returns. A line torn
 * by a crash (the last one, without its newline) is ignored with a warning when reading and cut off
 * before the next append; a damaged line anywhere else is an error naming the line.
 */
public final class Manifest {

    public static final String FILE_NAME = "manifest.jsonl";

    private static final Logger LOG = LoggerFactory.getLogger(Manifest.class);

    /** One lock per manifest file in this JVM; file locks only exclude other processes. */
    private static final ConcurrentMap<Path, Object> LOCKS = new ConcurrentHashMap<>();

    private static final Gson GSON =
            new GsonBuilder()
                    .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
                    .registerTypeAdapter(Instant.class, new InstantAdapter().nullSafe())
                    .disableHtmlEscaping()
                    .create();

    private final Path root;
    private final Path file;

    /** The manifest of the media root {@code root} (the file need not exist yet). */
    public Manifest(Path root) {
        this.root = root;
        this.file = root.resolve(FILE_NAME);
    }

    public Path root() {
        return root;
    }

    public Path file() {
        return file;
    }

    /** Every record in file order; an empty list if there is no manifest yet. */
    public List<MediaRecord> readAll() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        List<MediaRecord> records = new ArrayList<>();
        int start = 0;
        int lineNumber = 0;
        while (start < text.length()) {
            lineNumber++;
            int end = text.indexOf('\n', start);
            boolean complete = end >= 0;
            String line = text.substring(start, complete ? end : text.length());
            start = complete ? end + 1 : text.length();
            if (line.isBlank()) {
                continue;
            }
            try {
                records.add(fromJson(line));
            } catch (IllegalArgumentException e) {
                if (!complete) {
                    LOG.warn(
                            "{}:{}: ignoring an incomplete last line (a write cut short): {}",
                            file,
                            lineNumber,
                            ErrorText.of(e));
                    break;
                }
                throw new IOException(
                        file + ":" + lineNumber + ": bad record: " + ErrorText.of(e), e);
            }
        }
        return records;
    }

    /** Appends {@code record} as one line and forces it to disk. */
    public void append(MediaRecord record) throws IOException {
        byte[] line = (toJson(record) + "\n").getBytes(StandardCharsets.UTF_8);
        Object lock = LOCKS.computeIfAbsent(file.toAbsolutePath().normalize(), p -> new Object());
        synchronized (lock) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (FileChannel ch =
                            FileChannel.open(
                                    file,
                                    StandardOpenOption.CREATE,
                                    StandardOpenOption.READ,
                                    StandardOpenOption.WRITE);
                    FileLock ignored = ch.lock()) {
                long end = cutTornLine(ch);
                ByteBuffer buf = ByteBuffer.wrap(line);
                while (buf.hasRemaining()) {
                    end += ch.write(buf, end);
                }
                ch.force(false);
            }
        }
    }

    /**
     * If the file ends inside a line (a crash mid-append), truncates it back to the last newline so
     * the next record starts on a line of its own. Returns the resulting size.
     */
    private long cutTornLine(FileChannel ch) throws IOException {
        long size = ch.size();
        if (size == 0 || lastByte(ch, size - 1) == '\n') {
            return size;
        }
        long keep = size - 1;
        while (keep > 0 && lastByte(ch, keep - 1) != '\n') {
            keep--;
        }
        LOG.warn("{}: dropping {} bytes of an incomplete last line", file, size - keep);
        ch.truncate(keep);
        return keep;
    }

    private static byte lastByte(FileChannel ch, long position) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        if (ch.read(one, position) != 1) {
            throw new IOException("cannot read byte " + position);
        }
        return one.get(0);
    }

    /** The record as one line of JSON, snake_case, absent fields omitted. */
    public static String toJson(MediaRecord record) {
        return GSON.toJson(record);
    }

    /** Parses one line; throws {@link IllegalArgumentException} saying what is wrong. */
    public static MediaRecord fromJson(String line) {
        MediaRecord r;
        try {
            r = GSON.fromJson(line, MediaRecord.class);
        } catch (RuntimeException e) {
            // Gson wraps syntax errors and the record constructor's own complaint; the innermost
            // cause says what is wrong.
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            String m = cause.getMessage();
            throw new IllegalArgumentException(m != null ? m : cause.toString(), e);
        }
        if (r == null) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return r;
    }

    /** ISO-8601 instants, written in UTC ({@code 2025-01-31T12:00:00Z}); offsets accepted. */
    private static final class InstantAdapter extends TypeAdapter<Instant> {
        @Override
        public void write(JsonWriter out, Instant value) throws IOException {
            out.value(value.toString());
        }

        @Override
        public Instant read(JsonReader in) throws IOException {
            if (in.peek() != JsonToken.STRING) {
                throw new JsonParseException("fetched_at must be an ISO-8601 string");
            }
            String s = in.nextString();
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e) {
                throw new JsonParseException("bad ISO-8601 time '" + s + "'", e);
            }
        }
    }
}
