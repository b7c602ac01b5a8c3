package image2music.core.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The one bound on what a command writes when its size follows from user values or input files (a 5
 * KB spectrogram whose EXIF claims a huge sample rate, {@code --seconds}, {@code --width}, an input
 * of hours, thousands of interpolation steps): a WAV over {@value #MAX_SECONDS} s or {@value
 * #MAX_BYTES} bytes is refused before any work, saying what it would have been, unless the user
 * asks for it with {@code --force}.
 */
public final class OutputLimits {

    /** Longest audio written without {@code --force}: an hour. */
    public static final double MAX_SECONDS = 3600;

    /** Largest WAV written without {@code --force}: 1 GiB. */
    public static final long MAX_BYTES = 1L << 30;

    private static final int WAV_HEADER_BYTES = 44;

    private OutputLimits() {}

    /** A 16-bit PCM WAV's size in bytes for {@code seconds} at {@code sampleRate}. */
    public static double wavBytes(double seconds, int sampleRate, int channels) {
        return WAV_HEADER_BYTES + seconds * sampleRate * channels * 2.0;
    }

    /**
     * Checks the WAV {@code out} that is about to be made.
     *
     * @param seconds its length
     * @param cause what decides its length, for the message (e.g. "--seconds 5000")
     * @param force whether the user asked to write it whatever its size
     * @throws OutputTooLargeException naming {@code out}, its size and the bound, when over it
     */
    public static void checkWav(
            Path out, double seconds, int sampleRate, int channels, String cause, boolean force)
            throws OutputTooLargeException {
        double bytes = wavBytes(seconds, sampleRate, channels);
        boolean over = !(seconds <= MAX_SECONDS) || !(bytes <= MAX_BYTES);
        if (!over || force) {
            return;
        }
        throw new OutputTooLargeException(
                String.format(
                        Locale.ROOT,
                        "%s: would be %s of %d Hz %s audio (%s) from %s, over the limit of %s"
                                + " or %s; add --force to write it anyway",
                        out,
                        duration(seconds),
                        sampleRate,
                        channels == 1 ? "mono" : channels == 2 ? "stereo" : channels + "-channel",
                        size(bytes),
                        cause,
                        duration(MAX_SECONDS),
                        size(MAX_BYTES)));
    }

    /** A length of audio in words: "12.0 s", "25.3 min", "3.2 h". */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "endless audio";
        }
        if (seconds < 120) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        if (seconds < 7200) {
            return String.format(Locale.ROOT, "%.1f min", seconds / 60);
        }
        return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }

    /** A size in words: "512 KiB", "1.0 GiB", "3.5 TiB". */
    static String size(double bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
        int u = 0;
        while (bytes >= 1024 && u < units.length - 1) {
            bytes /= 1024;
            u++;
        }
        return u == 0
                ? String.format(Locale.ROOT, "%.0f bytes", bytes)
                : String.format(Locale.ROOT, "%.1f %s", bytes, units[u]);
    }

    /** An output refused for its size; the message names the file, the size and the bound. */
    public static final class OutputTooLargeException extends IOException {
        OutputTooLargeException(String message) {
            super(message);
        }
    }
}
