package image2music.core.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The folder layout of a media root: {@code <root>/<label>/<first 16 hex of sha256>.<ext>} beside
 * {@code <root>/manifest.jsonl}. The folder is the label verbatim (spaces kept); labels that could
 * not be a single safe folder name or a caption item are refused.
 */
public final class MediaLayout {

    /** Hex digits of the SHA-256 that name a file. */
    public static final int NAME_HEX_DIGITS = 16;

    private static final Pattern EXTENSION = Pattern.compile("[a-z0-9]{1,10}");

    private MediaLayout() {}

    /**
     * Returns {@code label} if it can name a folder and appear in a caption; otherwise throws
     * {@link IllegalArgumentException} quoting it. Refused: empty, {@code .}, {@code ..}, and
     * anything holding {@code /}, {@code \}, {@code ,} or a control character.
     */
    public static String checkLabel(String label) {
        if (label == null || label.isEmpty()) {
            throw new IllegalArgumentException("empty label");
        }
        if (label.equals(".") || label.equals("..")) {
            throw new IllegalArgumentException("label '" + label + "' is not a folder name");
        }
        for (int i = 0; i < label.length(); i++) {
            char ch = label.charAt(i);
            if (ch == '/' || ch == '\\' || ch == ',') {
                throw new IllegalArgumentException(
                        "label '" + label + "' holds '" + ch + "' (not allowed in labels)");
            }
            if (Character.isISOControl(ch)
                    || Character.getType(ch) == Character.LINE_SEPARATOR
                    || Character.getType(ch) == Character.PARAGRAPH_SEPARATOR) {
                throw new IllegalArgumentException(
                        "label '"
                                + label.replaceAll("\\p{Cntrl}", "?")
                                + "' holds control character U+"
                                + String.format("%04X", (int) ch));
            }
        }
        return label;
    }

    /** {@code <label>/<sha16>.<ext>}, the manifest path of a file, with {@code /} separators. */
    public static String relativePath(String label, String sha256, String extension) {
        checkLabel(label);
        String ext = extension.toLowerCase(Locale.ROOT);
        if (ext.startsWith(".")) {
            ext = ext.substring(1);
        }
        if (!EXTENSION.matcher(ext).matches()) {
            throw new IllegalArgumentException("bad file extension '" + extension + "'");
        }
        return label + "/" + fileStem(sha256) + "." + ext;
    }

    /** The first {@value #NAME_HEX_DIGITS} hex digits of a SHA-256, which name its file. */
    public static String fileStem(String sha256) {
        if (sha256 == null || sha256.length() < NAME_HEX_DIGITS) {
            throw new IllegalArgumentException("bad sha256 '" + sha256 + "'");
        }
        return sha256.substring(0, NAME_HEX_DIGITS);
    }

    /**
     * The file a manifest path points to under {@code root}; refuses a path that would leave the
     * root (absolute, or climbing out with {@code ..}), since manifests may come from elsewhere.
     */
    public static Path resolve(Path root, String relativePath) {
        Path base = root.toAbsolutePath().normalize();
        Path file = base.resolve(relativePath).normalize();
        if (Path.of(relativePath).isAbsolute() || !file.startsWith(base) || file.equals(base)) {
            throw new IllegalArgumentException(
                    "manifest path '" + relativePath + "' is not a file inside " + root);
        }
        return file;
    }

    /**
     * The existing file a manifest path points to under {@code root}, checked as {@link #resolve}
     * does and then once more by real path, so that a symbolic link inside the root cannot lead a
     * reader to a file outside it. A path whose file does not exist is returned as resolved (the
     * caller reports it missing).
     *
     * @throws IllegalArgumentException when the path or its real target is outside the root
     */
    public static Path resolveExisting(Path root, String relativePath) throws IOException {
        Path file = resolve(root, relativePath);
        if (!Files.exists(file)) {
            return file;
        }
        Path realRoot = root.toRealPath();
        Path real = file.toRealPath();
        if (!real.startsWith(realRoot) || real.equals(realRoot)) {
            throw new IllegalArgumentException(
                    "manifest path '"
                            + relativePath
                            + "' leads outside "
                            + root
                            + " (to "
                            + real
                            + ") through a symbolic link");
        }
        return file;
    }

    /** Lower-case hex SHA-256 of {@code bytes}. */
    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    /** Lower-case hex SHA-256 of a file's content, read in a stream. */
    public static String sha256Hex(Path file) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
