package image2music.models.vit.data;

import java.nio.file.Path;
import java.util.List;

/** One labelled image of a dataset: its file, labels and content hash (lower-case hex SHA-256). */
public record ImageItem(Path file, List<String> labels, String sha256) {

    public ImageItem {
        labels = List.copyOf(labels);
    }
}
