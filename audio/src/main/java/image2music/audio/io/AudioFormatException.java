package image2music.audio.io;

import java.io.IOException;
import java.nio.file.Path;

/** A media file that cannot be read; the message names the file and the problem. */
public class AudioFormatException extends IOException {

    public AudioFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public AudioFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
