package image2music.audio.dataset;

import java.nio.file.Path;
import java.util.List;

/**
 * One input file of the dataset builder with its labels and content hash.
 *
 * @param file the file on disk
 * @param name how the file is named in messages (relative to the audio folder)
 * @param sha256 hex SHA-256 of the file's bytes; output names start with its first 16 digits
 * @param labels the file's labels, sorted, never empty
 */
public record AudioSource(Path file, String name, String sha256, List<String> labels) {

    public AudioSource {
        if (labels.isEmpty()) {
            throw new IllegalArgumentException(name + ": no labels");
        }
        labels = List.copyOf(labels);
    }

    /** The prefix of this file's output names. */
    public String sha16() {
        return sha256.substring(0, 16);
    }
}
