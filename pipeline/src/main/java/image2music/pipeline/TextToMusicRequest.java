package image2music.pipeline;

import java.nio.file.Path;

/**
 * Text to music: music for a prompt, one clip or one long piece per result.
 *
 * @param prompt the text the music should match
 * @param music the generator, sampling, length and output
 */
public record TextToMusicRequest(String prompt, MusicSettings music) {

    public TextToMusicRequest {
        if (prompt == null || music == null) {
            throw new IllegalArgumentException("prompt and music settings must not be null");
        }
    }

    /** One clip for {@code prompt} with the defaults, from {@code model} to {@code out}. */
    public static TextToMusicRequest of(Path model, String prompt, long seed, Path out) {
        return new TextToMusicRequest(prompt, MusicSettings.of(model, seed, out));
    }
}
