package image2music.audio.io;

import image2music.audio.Audio;
import image2music.core.io.InputFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads any supported audio file at its native rate and channel count: WAV natively, everything
 * else (mp3, m4a/aac, opus, vorbis, flac, WAV with compressed samples, ...) through {@link
 * FfmpegDecoder}. The format is told from the file's first bytes, not its name.
 */
public final class AudioFiles {

    private static final int SNIFF_BYTES = 12;

    /** Largest audio file read: 4 GiB, the most a RIFF/WAVE size field can describe. */
    public static final long MAX_FILE_BYTES = 4L << 30;

    private AudioFiles() {}

    public static Audio read(Path file) throws IOException {
        if (isWav(file)) {
            try {
                return WavReader.read(file);
            } catch (WavReader.UnsupportedEncodingException e) {
                // Compressed WAV (ADPCM, mu-law, A-law, GSM, ...): FFmpeg knows these.
                return FfmpegDecoder.decode(file);
            }
        }
        return FfmpegDecoder.decode(file);
    }

    /** WAV files up to this size are read whole and cut; larger ones are decoded as a stream. */
    static final long WHOLE_WAV_BYTES = 64L << 20;

    /**
     * At most {@code maxSeconds} of the file from {@code startSeconds} on, at its native rate and
     * channel count, holding no more than that span in memory (however long the file); empty when
     * the start is past the end.
     */
    public static Audio read(Path file, double startSeconds, double maxSeconds) throws IOException {
        if (isWav(file) && Files.size(file) <= WHOLE_WAV_BYTES) {
            try {
                Audio a = WavReader.read(file);
                long from = Math.min(a.frames(), Math.round(startSeconds * a.sampleRate()));
                long n =
                        Math.min(
                                a.frames() - from,
                                Double.isInfinite(maxSeconds)
                                        ? Long.MAX_VALUE
                                        : Math.round(maxSeconds * a.sampleRate()));
                return a.slice((int) from, (int) n);
            } catch (WavReader.UnsupportedEncodingException e) {
                // Compressed WAV: FFmpeg below.
            }
        }
        return FfmpegDecoder.decode(file, startSeconds, maxSeconds);
    }

    /** Reads the file and converts it to mono at {@code rate} (Riffusion's input form). */
    public static Audio readMono(Path file, int rate) throws IOException {
        return Resampler.resample(read(file).toMono(), rate);
    }

    /**
     * Duration, rate, channels and codec. Compressed files are probed from their headers without
     * decoding the audio; a WAV file is simply read, which costs little more.
     */
    public static AudioInfo probe(Path file) throws IOException {
        if (isWav(file)) {
            try {
                Audio a = WavReader.read(file);
                return new AudioInfo(a.durationSeconds(), a.sampleRate(), a.channelCount(), "wav");
            } catch (WavReader.UnsupportedEncodingException e) {
                return FfmpegDecoder.probe(file);
            }
        }
        return FfmpegDecoder.probe(file);
    }

    private static boolean isWav(Path file) throws IOException {
        InputFiles.requireRegularFile(file, MAX_FILE_BYTES, "an audio file");
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(SNIFF_BYTES);
        }
        return WavReader.isWav(head);
    }
}
