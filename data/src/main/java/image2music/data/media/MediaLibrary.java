package image2music.data.media;

import image2music.core.io.AtomicFiles;
import image2music.core.io.FolderLock;
import image2music.core.manifest.Manifest;
import image2music.core.manifest.MediaLayout;
import image2music.core.manifest.MediaRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * A media root ({@code <root>/<label>/<sha16>.<ext>} + {@code manifest.jsonl}) opened for adding
 * files by one writer: {@link #open} locks the root ({@link FolderLock}, "in use by PID n" for a
 * second writer) until {@link #close}. Each add writes the file atomically, then appends its
 * manifest line, so a crash leaves at worst a file without a line; {@link #open} mends that without
 * deleting anything it did not write: a stored file whose bytes match its name gets its line back
 * (re-adopted, source {@code local}), any other unrecorded file with a stored name is moved to
 * {@value #QUARANTINE}, only this library's own temporary files are deleted, and manifest lines
 * whose file is gone are dropped. A label folder that is a symbolic link is refused (it could lead
 * into another root, whose files this one would then mend).
 *
 * <p>Not thread-safe: one committing thread adds files.
 */
public final class MediaLibrary implements AutoCloseable {

    /** Where unrecorded files that are not what their name says are moved, under the root. */
    public static final String QUARANTINE = ".quarantine";

    /** Names this library gives files: 16 hex digits and an extension. */
    private static final Pattern STORED_NAME = Pattern.compile("[0-9a-f]{16}\\.[a-z0-9]{1,10}");

    /**
     * The temporaries of {@link AtomicFiles#write} and {@link #addFile} for a stored name: {@code
     * .<stored name>.<random>.part}.
     */
    private static final Pattern OWN_TEMPORARY =
            Pattern.compile("\\.[0-9a-f]{16}\\.[a-z0-9]{1,10}\\.[0-9a-z]{1,20}\\.part");

    private final Path root;
    private final FolderLock lock;
    private final Manifest manifest;
    private final List<MediaRecord> records = new ArrayList<>();
    private final Map<String, List<MediaRecord>> bySha = new HashMap<>();
    private final Map<String, Integer> perLabel = new HashMap<>();
    private final Set<String> sourceUrls = new HashSet<>();
    private final Set<String> videoIds = new HashSet<>();
    private final List<String> repairs = new ArrayList<>();

    private MediaLibrary(Path root, FolderLock lock) {
        this.root = root;
        this.lock = lock;
        this.manifest = new Manifest(root);
    }

    /**
     * Opens (creating if needed) and locks the media root, and mends what an interrupted run left.
     *
     * @throws FolderLock.InUseException when another writer has the root open
     * @throws IOException when a label folder is a symbolic link, or the root cannot be read
     */
    public static MediaLibrary open(Path root) throws IOException {
        FolderLock lock = FolderLock.acquire(root);
        try {
            MediaLibrary lib = new MediaLibrary(root, lock);
            List<Path> labelDirs = lib.labelFolders();
            List<MediaRecord> all = lib.manifest.readAll();
            List<MediaRecord> present = new ArrayList<>();
            for (MediaRecord r : all) {
                Path file = MediaLayout.resolve(root, r.path());
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    present.add(r);
                } else {
                    lib.repairs.add("manifest line for missing file " + r.path() + " dropped");
                }
            }
            if (present.size() != all.size()) {
                lib.rewriteManifest(present);
            }
            present.forEach(lib::index);
            for (Path dir : labelDirs) {
                lib.mendFolder(dir);
            }
            return lib;
        } catch (IOException | RuntimeException | Error e) {
            lock.close();
            throw e;
        }
    }

    /** Releases the root for the next writer. */
    @Override
    public void close() throws IOException {
        lock.close();
    }

    /** The root's label folders; refuses a symbolic link where a label folder would be. */
    private List<Path> labelFolders() throws IOException {
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path p : entries) {
                if (p.getFileName().toString().startsWith(".")) {
                    continue;
                }
                if (Files.isSymbolicLink(p)) {
                    if (Files.isDirectory(p)) {
                        throw new IOException(
                                p
                                        + ": label folder is a symbolic link; refusing to follow"
                                        + " it (move or copy the files in instead)");
                    }
                    continue;
                }
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    dirs.add(p);
                }
            }
        }
        dirs.sort(null);
        return dirs;
    }

    private void rewriteManifest(List<MediaRecord> keep) throws IOException {
        StringBuilder b = new StringBuilder();
        for (MediaRecord r : keep) {
            b.append(Manifest.toJson(r)).append('\n');
        }
        AtomicFiles.write(manifest.file(), b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Deletes this library's temporaries in {@code dir}; re-adopts or quarantines stored-name files
     * without a manifest line. Other files are the user's and stay untouched.
     */
    private void mendFolder(Path dir) throws IOException {
        Set<String> known = new HashSet<>();
        for (MediaRecord r : records) {
            known.add(r.path());
        }
        String label = dir.getFileName().toString();
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(files::add);
        }
        files.sort(null);
        for (Path f : files) {
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            String name = f.getFileName().toString();
            String path = label + "/" + name;
            if (OWN_TEMPORARY.matcher(name).matches()) {
                Files.delete(f);
                repairs.add("removed partial file " + path);
            } else if (STORED_NAME.matcher(name).matches() && !known.contains(path)) {
                adoptOrQuarantine(label, f, name, path);
            }
        }
    }

    private void adoptOrQuarantine(String label, Path f, String name, String path)
            throws IOException {
        String sha = MediaLayout.sha256Hex(f);
        boolean validLabel = true;
        try {
            MediaLayout.checkLabel(label);
        } catch (IllegalArgumentException e) {
            validLabel = false;
        }
        if (validLabel && name.startsWith(MediaLayout.fileStem(sha))) {
            Instant modified = Files.getLastModifiedTime(f).toInstant();
            record(
                    path,
                    label,
                    sha,
                    Files.size(f),
                    MediaRecord.LOCAL,
                    b -> b.title(name).fetchedAt(modified));
            repairs.add("re-adopted unrecorded file " + path + " (its manifest line was lost)");
            return;
        }
        Path dest = root.resolve(QUARANTINE).resolve(label);
        Files.createDirectories(dest);
        Path target = dest.resolve(name);
        for (int i = 1; Files.exists(target, LinkOption.NOFOLLOW_LINKS); i++) {
            target = dest.resolve(name + "." + i);
        }
        Files.move(f, target);
        repairs.add(
                "moved unrecorded file "
                        + path
                        + " (its bytes do not match its name) to "
                        + root.relativize(target));
    }

    private void index(MediaRecord r) {
        records.add(r);
        bySha.computeIfAbsent(r.sha256(), s -> new ArrayList<>()).add(r);
        for (String label : r.labels()) {
            perLabel.merge(label, 1, Integer::sum);
        }
        if (r.sourceUrl() != null) {
            sourceUrls.add(r.sourceUrl());
        }
        if (r.videoId() != null) {
            videoIds.add(r.videoId());
        }
    }

    public Path root() {
        return root;
    }

    /** What {@link #open} repaired, one line each. */
    public List<String> repairs() {
        return List.copyOf(repairs);
    }

    /** All records, in manifest order. */
    public List<MediaRecord> records() {
        return List.copyOf(records);
    }

    /** Files kept under {@code label}. */
    public int count(String label) {
        return perLabel.getOrDefault(label, 0);
    }

    /** Whether a file from {@code url} is kept. */
    public boolean hasSource(String url) {
        return sourceUrls.contains(url);
    }

    /** Whether a file of video {@code id} is kept. */
    public boolean hasVideo(String id) {
        return videoIds.contains(id);
    }

    /** Records of files with these exact bytes, in any label. */
    public List<MediaRecord> withSha(String sha256) {
        return bySha.getOrDefault(sha256, List.of());
    }

    /**
     * Stores {@code bytes} as {@code <label>/<sha16>.<ext>} and appends its record.
     *
     * @param source the record's {@code source} ({@code bing}, {@code youtube}, {@code local}…)
     * @param fields sets the optional record fields
     */
    public MediaRecord add(
            String label,
            byte[] bytes,
            String sha256,
            String extension,
            String source,
            UnaryOperator<MediaRecord.Builder> fields)
            throws IOException {
        String path = MediaLayout.relativePath(label, sha256, extension);
        AtomicFiles.write(MediaLayout.resolve(root, path), bytes);
        return record(path, label, sha256, bytes.length, source, fields);
    }

    /**
     * Moves (or copies, when {@code copy}) {@code file} into the root as {@code
     * <label>/<sha16>.<ext>} and appends its record. The file arrives whole or not at all.
     */
    public MediaRecord addFile(
            String label,
            Path file,
            boolean copy,
            String sha256,
            String extension,
            String source,
            UnaryOperator<MediaRecord.Builder> fields)
            throws IOException {
        String path = MediaLayout.relativePath(label, sha256, extension);
        Path target = MediaLayout.resolve(root, path);
        Files.createDirectories(target.getParent());
        long size = Files.size(file);
        if (copy) {
            AtomicFiles.write(target, out -> Files.copy(file, out));
        } else {
            AtomicFiles.move(file, target);
        }
        return record(path, label, sha256, size, source, fields);
    }

    private MediaRecord record(
            String path,
            String label,
            String sha256,
            long size,
            String source,
            UnaryOperator<MediaRecord.Builder> fields)
            throws IOException {
        MediaRecord r =
                fields.apply(MediaRecord.builder(path, List.of(label), sha256, size, source))
                        .build();
        manifest.append(r);
        index(r);
        return r;
    }
}
