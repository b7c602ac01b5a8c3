package image2music.data.media;

import image2music.audio.io.AudioFiles;
import image2music.audio.io.AudioInfo;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Checks that an audio file is readable by our decoder and within duration bounds, with the reader
 * every later stage uses ({@link AudioFiles#probe}: WAV natively, so a truncated or over-claiming
 * WAV gets the same verdict here as in {@code build-dataset}; other formats from their headers).
 *
 * @param minSeconds shortest accepted duration
 * @param maxSeconds longest accepted duration
 */
public record AudioCheck(double minSeconds, double maxSeconds) {

    /** Why an audio file was refused: {@code unreadable}, {@code too-short} or {@code too-long}. */
    public static final class Rejected extends Exception {
        private final String reason;

        Rejected(Path file, String reason, String problem) {
            super(file + ": " + problem);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    public AudioCheck {
        if (!(minSeconds >= 0 && maxSeconds > minSeconds)) {
            throw new IllegalArgumentException(
                    "duration bounds must satisfy 0 <= min < max, got "
                            + minSeconds
                            + ".."
                            + maxSeconds);
        }
    }

    /**
     * Probes {@code file}; its duration is the container's, or {@code fallbackSeconds} (e.g. what
     * the source said) when the container has none.
     */
    public AudioInfo check(Path file, Double fallbackSeconds) throws Rejected {
        AudioInfo info;
        try {
            // The reader build-dataset uses: a WAV it would refuse later is refused here.
            info = AudioFiles.probe(file);
        } catch (IOException e) {
            throw new Rejected(file, "unreadable", "unreadable audio: " + e.getMessage());
        }
        double d = info.durationSeconds();
        if (Double.isNaN(d) && fallbackSeconds != null) {
            d = fallbackSeconds;
        }
        if (!Double.isNaN(d) && d < minSeconds) {
            throw new Rejected(
                    file, "too-short", d + " s is shorter than the minimum " + minSeconds + " s");
        }
        if (!Double.isNaN(d) && d > maxSeconds) {
            throw new Rejected(
                    file, "too-long", d + " s is longer than the maximum " + maxSeconds + " s");
        }
        return new AudioInfo(d, info.sampleRate(), info.channels(), info.codec());
    }
}
