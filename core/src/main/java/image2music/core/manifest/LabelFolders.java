package image2music.core.manifest;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A user's labelled folders, {@code <from>/<label>/<files>}: the labels (folder names) and their
 * files, in name order. Hidden entries are ignored; folders whose name cannot be a label are
 * skipped with a note. Shared by the importers ({@code data}) and the training image dataset
 * ({@code models}).
 */
public final class LabelFolders {

    private LabelFolders() {}

    /**
     * The files of each label folder under {@code from}.
     *
     * @param only the labels to take, or empty for all
     * @param notes receives one line per skipped folder
     */
    public static Map<String, List<Path>> read(Path from, Set<String> only, Consumer<String> notes)
            throws IOException {
        if (!Files.isDirectory(from)) {
            throw new IOException(from + ": not a folder");
        }
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(from, Files::isDirectory)) {
            s.forEach(dirs::add);
        }
        dirs.sort(null);
        Map<String, List<Path>> out = new LinkedHashMap<>();
        for (Path dir : dirs) {
            String label = dir.getFileName().toString();
            if (label.startsWith(".") || (!only.isEmpty() && !only.contains(label))) {
                continue;
            }
            try {
                MediaLayout.checkLabel(label);
            } catch (IllegalArgumentException e) {
                notes.accept("skipped folder " + dir + ": " + e.getMessage());
                continue;
            }
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
                for (Path f : s) {
                    if (Files.isRegularFile(f) && !f.getFileName().toString().startsWith(".")) {
                        files.add(f);
                    }
                }
            }
            files.sort(null);
            out.put(label, files);
        }
        for (String label : only) {
            if (!out.containsKey(label)) {
                throw new IOException(from.resolve(label) + ": no such label folder");
            }
        }
        return out;
    }
}
