package image2music.data.scrape;

import image2music.core.manifest.MediaLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An explicit list of videos to collect: one per line, {@code <label><TAB><url>}, or just {@code
 * <url>} when a single default label is given. Blank lines and lines starting with {@code #} are
 * ignored.
 */
public final class UrlListFile {

    private UrlListFile() {}

    /**
     * The URLs per label, in file order.
     *
     * @param defaultLabel the label of lines without one, or null to require a label on each line
     */
    public static Map<String, List<String>> read(Path file, String defaultLabel)
            throws IOException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String label;
            String url;
            int tab = line.indexOf('\t');
            if (tab >= 0) {
                label = line.substring(0, tab).strip();
                url = line.substring(tab + 1).strip();
            } else if (defaultLabel != null) {
                label = defaultLabel;
                url = line;
            } else {
                throw new IllegalArgumentException(
                        file
                                + ":"
                                + (i + 1)
                                + ": expected '<label><TAB><url>' (or give exactly one --labels)");
            }
            try {
                MediaLayout.checkLabel(label);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                throw new IllegalArgumentException(
                        file + ":" + (i + 1) + ": '" + url + "' is not an http(s) URL");
            }
            out.computeIfAbsent(label, l -> new ArrayList<>()).add(url);
        }
        return out;
    }
}
