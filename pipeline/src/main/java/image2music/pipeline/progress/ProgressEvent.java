package image2music.pipeline.progress;

import image2music.pipeline.ImageTags;
import java.nio.file.Path;

/**
 * What a running use case reports, in order: {@link Started}, then per clip its {@link Step}s and
 * {@link ClipDone}, with {@link Tagged}, {@link Resumed}, {@link Notice} and {@link Written} where
 * they happen, and {@link Finished} last. The CLI draws progress bars and prints lines from them; a
 * web page can stream them as they come.
 */
public sealed interface ProgressEvent {

    /**
     * Work begins.
     *
     * @param clips how many clips (images, clips of pieces, windows) will report steps
     * @param unit what one of them is called ("image", "clip", "window")
     */
    record Started(int clips, String unit) implements ProgressEvent {}

    /**
     * Denoising step {@code step} (1-based) of {@code steps} of clip {@code clip} (0-based, counted
     * across a batch) is done; a clip kept from an earlier run reports one step of one.
     */
    record Step(int clip, int step, int steps) implements ProgressEvent {}

    /** Clip {@code clip} is finished. */
    record ClipDone(int clip) implements ProgressEvent {}

    /** The tagger's labels for the picture and the prompt made of them (image to music). */
    record Tagged(ImageTags tags) implements ProgressEvent {}

    /**
     * A long piece goes on from clips an earlier run finished.
     *
     * @param output the piece's WAV
     * @param kept clips taken from {@code folder}
     * @param clips the piece's clip count
     */
    record Resumed(Path output, int kept, int clips, Path folder) implements ProgressEvent {}

    /** Something the user should know that is not an error (e.g. a slow configuration). */
    record Notice(String message) implements ProgressEvent {}

    /**
     * A result is on disk: {@code wav} with its PNG and JSON.
     *
     * @param seconds the audio's duration
     * @param alpha the interpolation position of a clip, or null
     * @param reused true when an earlier run's files were kept instead of written
     */
    record Written(Path wav, double seconds, Double alpha, boolean reused)
            implements ProgressEvent {}

    /** Everything is written. */
    record Finished() implements ProgressEvent {}
}
