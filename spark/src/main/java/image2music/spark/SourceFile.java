package image2music.spark;

import java.io.Serializable;
import java.util.List;

/**
 * One input file of the Spark job, as it travels to an executor: the Hadoop counterpart of {@link
 * image2music.audio.dataset.AudioSource}.
 *
 * @param uri the file's Hadoop path ({@code file:/…}, {@code hdfs://…}, {@code s3a://…})
 * @param name how the file is named in the dataset and in messages (relative to the audio folder)
 * @param sha256 hex SHA-256 of the file's bytes
 * @param labels the file's labels, sorted
 */
public record SourceFile(String uri, String name, String sha256, List<String> labels)
        implements Serializable {

    public SourceFile {
        labels = List.copyOf(labels);
    }

    public String sha16() {
        return sha256.substring(0, 16);
    }
}
