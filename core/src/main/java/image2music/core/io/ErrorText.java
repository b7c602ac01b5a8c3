package image2music.core.io;

import java.io.EOFException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plain words for the failures the JDK and Gson report in their own terms ("Input length = 1", "For
 * input string", "JsonObject", "integer overflow", a class name): what a user reads after the name
 * of the file at fault. A message of our own (an {@link java.io.IOException} that already names its
 * file, say) is kept as it is.
 */
public final class ErrorText {

    private static final Pattern NUMBER = Pattern.compile("For input string: (\".*\")(.*)");
    private static final Pattern QUALIFIED =
            Pattern.compile("^(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*: ");
    private static final Pattern GSON_TYPE = Pattern.compile("Json(Object|Array|Null|Primitive)");

    private ErrorText() {}

    /** {@code t} in plain words, on one line; never an exception class name. */
    public static String of(Throwable t) {
        return oneLine(words(t));
    }

    /** "{@code file}: {@code t} in plain words", unless the words already start with the file. */
    public static String in(Object file, Throwable t) {
        String w = of(t);
        String f = String.valueOf(file);
        return w.startsWith(f) ? w : f + ": " + w;
    }

    private static String words(Throwable t) {
        if (t instanceof NoSuchFileException e) {
            return e.getFile() + ": no such file or folder";
        }
        if (t instanceof AccessDeniedException e) {
            return e.getFile() + ": permission denied";
        }
        if (t instanceof FileAlreadyExistsException e) {
            return e.getFile() + ": already exists";
        }
        if (t instanceof NotDirectoryException e) {
            return e.getFile() + ": not a folder";
        }
        if (t instanceof FileSystemException e && e.getFile() != null) {
            String reason = e.getReason() == null ? "cannot be read" : lower(e.getReason());
            return e.getFile() + ": " + reason;
        }
        if (t instanceof CharacterCodingException) {
            return "not UTF-8 text";
        }
        if (t instanceof EOFException) {
            return "the file ends too early (truncated?)";
        }
        if (t instanceof ArithmeticException) {
            return "a size or count in it is too large (arithmetic overflow)";
        }
        if (t instanceof OutOfMemoryError) {
            return "not enough memory (a size in the input is too large?)";
        }
        if (t instanceof StackOverflowError) {
            return "nested too deeply";
        }
        String m = t.getMessage();
        if (m != null) {
            // A wrapped exception's text starts with its class name ("java.io.EOFException: ...").
            m = QUALIFIED.matcher(m).replaceFirst("");
        }
        if (t instanceof NumberFormatException) {
            Matcher n = m == null ? null : NUMBER.matcher(m);
            return n != null && n.matches()
                    ? "expected a number, got " + n.group(1) + n.group(2)
                    : "expected a number";
        }
        if (t instanceof UnsupportedOperationException
                && m != null
                && GSON_TYPE.matcher(m).matches()) {
            return "a JSON value has the wrong type (found a " + jsonKind(m) + ")";
        }
        if (t instanceof ClassCastException) {
            return "a value has the wrong type" + gsonKinds(m);
        }
        if (t instanceof IndexOutOfBoundsException) {
            return "a value is out of range or missing" + (m == null ? "" : " (" + m + ")");
        }
        if (t instanceof NullPointerException) {
            return "a required value is missing";
        }
        if ("Is a directory".equals(m)) {
            return "is a folder, not a file";
        }
        if (m == null || m.isBlank()) {
            return t.getCause() != null && t.getCause() != t
                    ? words(t.getCause())
                    : "failed (rerun with --verbose for details)";
        }
        if (t instanceof IllegalStateException && m.startsWith("Not a JSON ")) {
            return "a JSON value has the wrong type (" + lower(m) + ")";
        }
        if (t instanceof IllegalStateException && m.startsWith("Expected ")) {
            return "malformed JSON: " + lower(m);
        }
        return m;
    }

    private static String jsonKind(String gsonClass) {
        return switch (gsonClass) {
            case "JsonObject" -> "JSON object";
            case "JsonArray" -> "JSON array";
            case "JsonNull" -> "null";
            default -> "JSON value";
        };
    }

    private static String gsonKinds(String m) {
        if (m == null) {
            return "";
        }
        Matcher k = GSON_TYPE.matcher(m);
        if (!k.find()) {
            return "";
        }
        String found = jsonKind(k.group());
        if (found.equals("JSON value")) {
            found = "single value";
        }
        return k.find() ? " (found a " + found + ", expected a " + jsonKind(k.group()) + ")" : "";
    }

    private static String lower(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    private static String oneLine(String s) {
        // Gson appends a link to its troubleshooting guide on a line of its own.
        int see = s.indexOf("\nSee https://github.com/google/gson");
        if (see >= 0) {
            s = s.substring(0, see);
        }
        return s.replace('\n', ' ').replace('\r', ' ');
    }
}
