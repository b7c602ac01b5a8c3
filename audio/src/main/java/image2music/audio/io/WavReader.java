package image2music.audio.io;

import image2music.audio.Audio;
import image2music.core.io.InputFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads RIFF/WAVE files: integer PCM of 8, 16, 24 or 32 bits, IEEE float of 32 or 64 bits, plain or
 * WAVE_FORMAT_EXTENSIBLE, any channel count and rate. Chunks other than {@code fmt } and {@code
 * data} (LIST, fact, cue, ...) are skipped.
 */
public final class WavReader {

    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_FLOAT = 3;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;
    private static final long UNKNOWN_SIZE = 0xFFFFFFFFL;

    /** Bytes 2..15 of every KSDATAFORMAT_SUBTYPE GUID whose first two bytes are a format code. */
    private static final byte[] SUBFORMAT_GUID_TAIL = {
        0x00,
        0x00,
        0x00,
        0x00,
        0x10,
        0x00,
        (byte) 0x80,
        0x00,
        0x00,
        (byte) 0xAA,
        0x00,
        0x38,
        (byte) 0x9B,
        0x71
    };

    private WavReader() {}

    /**
     * A well-formed WAV file whose sample encoding (ADPCM, µ-law, ...) is not read natively; {@link
     * AudioFiles} hands such files to FFmpeg.
     */
    public static final class UnsupportedEncodingException extends AudioFormatException {
        UnsupportedEncodingException(Path file, String problem) {
            super(file, problem);
        }
    }

    /** True if the bytes start like a RIFF/WAVE file. */
    public static boolean isWav(byte[] head) {
        return head.length >= 12
                && head[0] == 'R'
                && head[1] == 'I'
                && head[2] == 'F'
                && head[3] == 'F'
                && head[8] == 'W'
                && head[9] == 'A'
                && head[10] == 'V'
                && head[11] == 'E';
    }

    /** The largest WAV read into memory whole (a Java array's limit). */
    public static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;

    public static Audio read(Path file) throws IOException {
        InputFiles.requireRegularFile(file, MAX_FILE_BYTES, "a WAV file read whole");
        return read(file, Files.readAllBytes(file));
    }

    /** Decodes {@code bytes}; {@code file} only names the source in error messages. */
    public static Audio read(Path file, byte[] bytes) throws IOException {
        if (!isWav(bytes)) {
            throw new AudioFormatException(file, "not a RIFF/WAVE file");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long riffSize = buf.getInt(4) & 0xFFFFFFFFL;
        buf.position(12);
        int format = -1;
        int channels = 0;
        int sampleRate = 0;
        int bits = 0;
        int blockAlign = 0;
        while (buf.remaining() >= 8) {
            String id = fourCc(buf);
            long size = buf.getInt() & 0xFFFFFFFFL;
            int bodyStart = buf.position();
            if (id.equals("fmt ")) {
                if (size < 16 || size > buf.remaining()) {
                    throw new AudioFormatException(file, "truncated fmt chunk");
                }
                format = buf.getShort() & 0xFFFF;
                channels = buf.getShort() & 0xFFFF;
                sampleRate = buf.getInt();
                buf.getInt(); // byte rate: derived, not trusted
                blockAlign = buf.getShort() & 0xFFFF;
                bits = buf.getShort() & 0xFFFF;
                if (format == FORMAT_EXTENSIBLE) {
                    if (size < 40) {
                        throw new AudioFormatException(
                                file, "truncated WAVE_FORMAT_EXTENSIBLE fmt");
                    }
                    buf.position(bodyStart + 24);
                    // The sub-format GUID starts with the plain format code.
                    format = buf.getShort() & 0xFFFF;
                    for (byte expected : SUBFORMAT_GUID_TAIL) {
                        if (buf.get() != expected) {
                            throw new AudioFormatException(
                                    file, "unsupported WAVE_FORMAT_EXTENSIBLE sub-format GUID");
                        }
                    }
                }
            } else if (id.equals("data")) {
                if (format < 0) {
                    throw new AudioFormatException(file, "data chunk before fmt chunk");
                }
                // Streams written before their length was known carry 0 or 0xFFFFFFFF here.
                boolean streamed =
                        size == UNKNOWN_SIZE
                                || (size == 0 && (riffSize == 0 || riffSize == UNKNOWN_SIZE));
                long available = buf.remaining();
                if (!streamed && size > available) {
                    throw new AudioFormatException(
                            file,
                            "truncated data chunk: header says "
                                    + size
                                    + " bytes, file holds "
                                    + available);
                }
                long length = streamed ? available : size;
                return decode(
                        file, buf, (int) length, format, channels, sampleRate, bits, blockAlign);
            }
            long next = bodyStart + size + (size & 1);
            if (next > bytes.length) {
                break;
            }
            buf.position((int) next);
        }
        throw new AudioFormatException(file, format < 0 ? "no fmt chunk" : "no data chunk");
    }

    private static Audio decode(
            Path file,
            ByteBuffer buf,
            int length,
            int format,
            int channels,
            int sampleRate,
            int bits,
            int blockAlign)
            throws IOException {
        if (channels < 1) {
            throw new AudioFormatException(file, "channel count " + channels);
        }
        if (sampleRate <= 0) {
            throw new AudioFormatException(file, "sample rate " + sampleRate);
        }
        boolean pcm = format == FORMAT_PCM && (bits == 8 || bits == 16 || bits == 24 || bits == 32);
        boolean flt = format == FORMAT_FLOAT && (bits == 32 || bits == 64);
        if (!pcm && !flt) {
            throw new UnsupportedEncodingException(
                    file,
                    "unsupported WAV encoding (format "
                            + format
                            + ", "
                            + bits
                            + " bits per sample)");
        }
        int bytesPerSample = bits / 8;
        int frameBytes = Math.max(blockAlign, bytesPerSample * channels);
        int frames = length / frameBytes;
        float[][] out = new float[channels][frames];
        int base = buf.position();
        for (int f = 0; f < frames; f++) {
            int p = base + f * frameBytes;
            for (int c = 0; c < channels; c++, p += bytesPerSample) {
                out[c][f] = sample(buf, p, bits, flt);
            }
        }
        return new Audio(out, sampleRate);
    }

    private static float sample(ByteBuffer b, int p, int bits, boolean flt) {
        if (flt) {
            return bits == 32 ? b.getFloat(p) : (float) b.getDouble(p);
        }
        return switch (bits) {
            case 8 -> ((b.get(p) & 0xFF) - 128) / 128f;
            case 16 -> b.getShort(p) / 32768f;
            case 24 -> {
                int v = (b.get(p) & 0xFF) | ((b.get(p + 1) & 0xFF) << 8) | (b.get(p + 2) << 16);
                yield v / 8388608f;
            }
            default -> (float) (b.getInt(p) / 2147483648.0);
        };
    }

    private static String fourCc(ByteBuffer buf) {
        char[] c = new char[4];
        for (int i = 0; i < 4; i++) {
            c[i] = (char) (buf.get() & 0xFF);
        }
        return new String(c);
    }
}
