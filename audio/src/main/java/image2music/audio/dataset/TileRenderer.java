package image2music.audio.dataset;

import image2music.audio.Audio;
import java.io.IOException;
import java.nio.file.Path;

/** Turns the audio of one tile into its training image; must write {@code out} atomically. */
@FunctionalInterface
public interface TileRenderer {
    void render(Audio tile, Path out) throws IOException;
}
