package image2music.data.media;

import image2music.core.io.AtomicFiles;
import image2music.core.manifest.Manifest;
import image2music.core.manifest.MediaLayout;
import image2music.core.manifest.MediaRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * files. Each add writes the file atomically, then appends its manifest line, so a crash leaves at
 * worst a file without a line; {@link #open} removes such orphans and stale temporary files, and
 * drops manifest lines whose file is gone, so the folder and the manifest agree again.
 *
 * <p>Not thread-safe: one committing thread adds files.
 */
public final class MediaLibrary {

    /** Names this library gives files: 16 hex digits and an extension. */
    private static final Pattern STORED_NAME = Pattern.compile("[0-9a-f]{16}\\.[a-z0-9]{1,10}");

    private final Path root;
    private final Manifest manifest;
    private final List<MediaRecord> records = new ArrayList<>();
    private final Map<String, List<MediaRecord>> bySha = new HashMap<>();
    private final Map<String, Integer> perLabel = new HashMap<>();
    private final Set<String> sourceUrls = new HashSet<>();
    private final Set<String> videoIds = new HashSet<>();
    private final List<String> repairs = new ArrayList<>();

    private MediaLibrary(Path root) {
        this.root = root;
        this.manifest = new Manifest(root);
    }

    /** Opens (creating if needed) the media root and repairs what an interrupted run left. */
    public static MediaLibrary open(Path root) throws IOException {
        Files.createDirectories(root);
        MediaLibrary lib = new MediaLibrary(root);
        List<MediaRecord> all = lib.manifest.readAll();
        List<MediaRecord> present = new ArrayList<>();
        for (MediaRecord r : all) {
            if (Files.isRegularFile(MediaLayout.resolve(root, r.path()))) {
                present.add(r);
            } else {
                lib.repairs.add("manifest line for missing file " + r.path() + " dropped");
            }
        }
        if (present.size() != all.size()) {
            lib.rewriteManifest(present);
        }
        present.forEach(lib::index);
        lib.removeLeftovers();
        return lib;
    }

    private void rewriteManifest(List<MediaRecord> keep) throws IOException {
        StringBuilder b = new StringBuilder();
        for (MediaRecord r : keep) {
            b.append(Manifest.toJson(r)).append('\n');
        }
        AtomicFiles.write(manifest.file(), b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Deletes temporary files and files that never got their manifest line. */
    private void removeLeftovers() throws IOException {
        Set<String> known = new HashSet<>();
        for (MediaRecord r : records) {
            known.add(r.path());
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path dir : dirs) {
                String label = dir.getFileName().toString();
                if (label.startsWith(".")) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                    for (Path f : files) {
                        String name = f.getFileName().toString();
                        boolean temp = name.startsWith(".") && name.endsWith(".part");
                        boolean orphan =
                                STORED_NAME.matcher(name).matches()
                                        && !known.contains(label + "/" + name);
                        if ((temp || orphan) && Files.isRegularFile(f)) {
                            Files.delete(f);
                            repairs.add(
                                    (temp ? "removed partial file " : "removed unrecorded file ")
                                            + label
                                            + "/"
                                            + name);
                        }
                    }
                }
            }
        }
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
            Path tmp =
                    Files.createTempFile(
                            target.getParent(), "." + target.getFileName() + ".", ".part");
            try {
                Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
                AtomicFiles.move(tmp, target);
            } finally {
                Files.deleteIfExists(tmp);
            }
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
