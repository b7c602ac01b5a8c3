package image2music.app.cli.data;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** What the import verbs share: the label folders to read and the media root to fill. */
public final class ImportFolderOptions {

    @Option(
            names = "--from",
            required = true,
            paramLabel = "DIR",
            description = "Folder of label folders.")
    Path from;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Media root.")
    Path out;

    @Option(
            names = "--labels",
            split = ",",
            paramLabel = "LABEL",
            description = "Import only these label folders (default: all).")
    List<String> labels = List.of();

    /** The chosen labels in the order given; empty for all. */
    Set<String> labelSet() {
        return new LinkedHashSet<>(labels);
    }
}
