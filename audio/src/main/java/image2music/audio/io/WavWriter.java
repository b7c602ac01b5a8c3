package image2music.audio.io;

import image2music.audio.Audio;
import image2music.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/** Writes 16-bit PCM WAV files, atomically. Samples outside [-1, 1] are clipped. */
public final class WavWriter {

    private WavWriter() {}

    public static void write(Path file, Audio audio) throws IOException {
        AtomicFiles.write(file, toBytes(audio));
    }

    /** The complete WAV file as bytes. */
    public static byte[] toBytes(Audio audio) {
        int channels = audio.channelCount();
        int frames = audio.frames();
        int dataBytes = frames * channels * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {'R', 'I', 'F', 'F'}).putInt(36 + dataBytes);
        b.put(new byte[] {'W', 'A', 'V', 'E', 'f', 'm', 't', ' '}).putInt(16);
        b.putShort((short) 1).putShort((short) channels).putInt(audio.sampleRate());
        b.putInt(audio.sampleRate() * channels * 2).putShort((short) (channels * 2));
        b.putShort((short) 16);
        b.put(new byte[] {'d', 'a', 't', 'a'}).putInt(dataBytes);
        float[][] ch = audio.channels();
        for (int f = 0; f < frames; f++) {
            for (int c = 0; c < channels; c++) {
                b.putShort(toInt16(ch[c][f]));
            }
        }
        return b.array();
    }

    /** Rounds to the nearest 16-bit value, clipping to the representable range. */
    static short toInt16(float v) {
        long s = Math.round(v * 32768.0);
        return (short) Math.max(-32768, Math.min(32767, s));
    }
}
