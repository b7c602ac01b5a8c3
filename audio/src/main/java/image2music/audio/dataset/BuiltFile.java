package image2music.audio.dataset;

import java.util.List;

/**
 * What the dataset builder made of one source file.
 *
 * @param sha256 hex SHA-256 of the source's bytes
 * @param source the source's name relative to the audio folder
 * @param labels the source's labels
 * @param segments whole segments in the file (silent ones included)
 * @param silentSegments segments skipped as silent
 * @param tailSeconds audio after the last whole segment, skipped
 * @param tiles the image file names written for the file, in order
 */
public record BuiltFile(
        String sha256,
        String source,
        List<String> labels,
        int segments,
        int silentSegments,
        double tailSeconds,
        List<String> tiles) {}
