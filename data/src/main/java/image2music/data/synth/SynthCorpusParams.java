package image2music.data.synth;

import image2music.core.manifest.MediaLayout;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;

/**
 * What a synthetic corpus holds. All defaults are here ({@link #defaults()}).
 *
 * @param moods the labels; each is a folder name in both media roots
 * @param perMood pieces and pictures made per mood
 * @param seconds length of each piece
 * @param seed the corpus seed: with the other parameters it fixes every byte
 * @param soundfont a General-MIDI SoundFont (.sf2) or DLS file, or null for Debian's {@code
 *     FluidR3_GM.sf2} when installed, else Gervill's built-in sounds
 * @param imageSize width and height of the pictures in pixels
 * @param threads worker threads
 */
public record SynthCorpusParams(
        List<String> moods,
        int perMood,
        double seconds,
        long seed,
        Path soundfont,
        int imageSize,
        int threads) {

    public static final int DEFAULT_PER_MOOD = 24;
    public static final double DEFAULT_SECONDS = 30;
    public static final long DEFAULT_SEED = 42;
    public static final int DEFAULT_IMAGE_SIZE = 256;

    /** Longest piece: 10 minutes keeps one rendered piece well within memory. */
    public static final double MAX_SECONDS = 600;

    public SynthCorpusParams {
        if (moods == null || moods.isEmpty()) {
            throw new IllegalArgumentException("at least one mood is needed");
        }
        moods = List.copyOf(moods);
        if (new HashSet<>(moods).size() != moods.size()) {
            throw new IllegalArgumentException("moods repeat: " + moods);
        }
        for (String m : moods) {
            MediaLayout.checkLabel(m);
        }
        if (perMood < 1) {
            throw new IllegalArgumentException("per-mood count must be at least 1, got " + perMood);
        }
        if (!(seconds >= 1 && seconds <= MAX_SECONDS)) {
            throw new IllegalArgumentException(
                    "piece length must be 1.." + (int) MAX_SECONDS + " s, got " + seconds);
        }
        if (imageSize < 32 || imageSize > 4096) {
            throw new IllegalArgumentException("image size must be 32..4096 px, got " + imageSize);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
    }

    /**
     * calm, energetic, gloomy, bright; {@value #DEFAULT_PER_MOOD} per mood; {@value
     * #DEFAULT_SECONDS} s pieces; seed {@value #DEFAULT_SEED}; the SoundFont found on the system;
     * {@value #DEFAULT_IMAGE_SIZE} px pictures; one thread per core.
     */
    public static SynthCorpusParams defaults() {
        return new SynthCorpusParams(
                MoodProfile.BUILT_IN,
                DEFAULT_PER_MOOD,
                DEFAULT_SECONDS,
                DEFAULT_SEED,
                null,
                DEFAULT_IMAGE_SIZE,
                Runtime.getRuntime().availableProcessors());
    }

    public SynthCorpusParams withMoods(List<String> m) {
        return new SynthCorpusParams(m, perMood, seconds, seed, soundfont, imageSize, threads);
    }

    public SynthCorpusParams withPerMood(int n) {
        return new SynthCorpusParams(moods, n, seconds, seed, soundfont, imageSize, threads);
    }

    public SynthCorpusParams withSeconds(double s) {
        return new SynthCorpusParams(moods, perMood, s, seed, soundfont, imageSize, threads);
    }

    public SynthCorpusParams withSeed(long s) {
        return new SynthCorpusParams(moods, perMood, seconds, s, soundfont, imageSize, threads);
    }

    public SynthCorpusParams withSoundfont(Path f) {
        return new SynthCorpusParams(moods, perMood, seconds, seed, f, imageSize, threads);
    }

    public SynthCorpusParams withImageSize(int px) {
        return new SynthCorpusParams(moods, perMood, seconds, seed, soundfont, px, threads);
    }

    public SynthCorpusParams withThreads(int n) {
        return new SynthCorpusParams(moods, perMood, seconds, seed, soundfont, imageSize, n);
    }
}
