package image2music.audio.io;

import image2music.audio.Audio;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads any supported audio file at its native rate and channel count. */
public final class AudioFiles {

    private AudioFiles() {}

    public static Audio read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (WavReader.isWav(bytes)) {
            return WavReader.read(file, bytes);
        }
        throw new AudioFormatException(file, "unsupported audio format");
    }
}
