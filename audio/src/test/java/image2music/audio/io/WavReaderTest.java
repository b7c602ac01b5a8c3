package image2music.audio.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.audio.Audio;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavReaderTest {

    private static final Path FILE = Path.of("test.wav");

    /** Full-scale-relative sample values every encoding below represents exactly. */
    private static final double[] VALUES = {0.0, 0.5, -0.5, 0.25, -1.0, 0.75};

    @Test
    void readsEightBitUnsignedPcm() throws Exception {
        byte[] data = new byte[VALUES.length];
        for (int i = 0; i < VALUES.length; i++) {
            data[i] = (byte) (Math.round(VALUES[i] * 128) + 128);
        }
        assertDecodes(wav(chunk("fmt ", fmt(1, 1, 8000, 8)), chunk("data", data)), 1, 8000);
    }

    @Test
    void readsSixteenBitPcm() throws Exception {
        ByteBuffer b = le(VALUES.length * 2);
        for (double v : VALUES) {
            b.putShort((short) Math.round(v * 32768));
        }
        assertDecodes(wav(chunk("fmt ", fmt(1, 1, 44100, 16)), chunk("data", b.array())), 1, 44100);
    }

    @Test
    void readsTwentyFourBitPcmWithSignExtension() throws Exception {
        ByteBuffer b = le(VALUES.length * 3);
        for (double v : VALUES) {
            int s = (int) Math.round(v * 8388608);
            b.put((byte) s).put((byte) (s >> 8)).put((byte) (s >> 16));
        }
        assertDecodes(wav(chunk("fmt ", fmt(1, 1, 96000, 24)), chunk("data", b.array())), 1, 96000);
    }

    @Test
    void readsThirtyTwoBitPcm() throws Exception {
        ByteBuffer b = le(VALUES.length * 4);
        for (double v : VALUES) {
            b.putInt((int) Math.max(Integer.MIN_VALUE, Math.round(v * 2147483648.0)));
        }
        assertDecodes(wav(chunk("fmt ", fmt(1, 1, 48000, 32)), chunk("data", b.array())), 1, 48000);
    }

    @Test
    void readsFloat32AndFloat64() throws Exception {
        ByteBuffer f = le(VALUES.length * 4);
        ByteBuffer d = le(VALUES.length * 8);
        for (double v : VALUES) {
            f.putFloat((float) v);
            d.putDouble(v);
        }
        assertDecodes(wav(chunk("fmt ", fmt(3, 1, 22050, 32)), chunk("data", f.array())), 1, 22050);
        assertDecodes(wav(chunk("fmt ", fmt(3, 1, 22050, 64)), chunk("data", d.array())), 1, 22050);
    }

    @Test
    void readsWaveFormatExtensibleWithPcmAndFloatSubFormats() throws Exception {
        ByteBuffer pcm = le(VALUES.length * 2);
        ByteBuffer flt = le(VALUES.length * 4);
        for (double v : VALUES) {
            pcm.putShort((short) Math.round(v * 32768));
            flt.putFloat((float) v);
        }
        assertDecodes(
                wav(chunk("fmt ", extensible(1, 1, 16000, 16)), chunk("data", pcm.array())),
                1,
                16000);
        assertDecodes(
                wav(chunk("fmt ", extensible(3, 1, 16000, 32)), chunk("data", flt.array())),
                1,
                16000);
    }

    @Test
    void rejectsExtensibleWithForeignSubFormat() {
        byte[] fmt = extensible(1, 1, 16000, 16);
        fmt[fmt.length - 1] ^= 0x55;
        byte[] bytes = wav(chunk("fmt ", fmt), chunk("data", new byte[4]));
        assertError(bytes, "sub-format");
    }

    @Test
    void splitsInterleavedStereo() throws Exception {
        ByteBuffer b = le(8);
        b.putShort((short) 16384)
                .putShort((short) -16384)
                .putShort((short) 8192)
                .putShort((short) 0);
        Audio a =
                WavReader.read(
                        FILE, wav(chunk("fmt ", fmt(1, 2, 44100, 16)), chunk("data", b.array())));
        assertEquals(2, a.channelCount());
        assertArrayEquals(new float[] {0.5f, 0.25f}, a.channel(0));
        assertArrayEquals(new float[] {-0.5f, 0f}, a.channel(1));
    }

    @Test
    void skipsListChunkAndOddSizedChunkPadding() throws Exception {
        ByteBuffer b = le(VALUES.length * 2);
        for (double v : VALUES) {
            b.putShort((short) Math.round(v * 32768));
        }
        byte[] list = chunk("LIST", "INFOISFT\5\0\0\0Lavf\0".getBytes(StandardCharsets.ISO_8859_1));
        // An odd-sized chunk is followed by one pad byte that is not counted in its size.
        byte[] odd = chunk("junk", new byte[] {1, 2, 3});
        assertEquals(12, odd.length);
        assertDecodes(
                wav(list, chunk("fmt ", fmt(1, 1, 44100, 16)), odd, chunk("data", b.array())),
                1,
                44100);
    }

    @Test
    void ignoresAPartialFrameAtTheEnd() throws Exception {
        byte[] data = {0, 64, 0, 32, 7};
        Audio a =
                WavReader.read(FILE, wav(chunk("fmt ", fmt(1, 1, 8000, 16)), chunk("data", data)));
        assertArrayEquals(new float[] {0.5f, 0.25f}, a.channel(0));
    }

    @Test
    void readsStreamedDataOfUnknownLength() throws Exception {
        byte[] bytes =
                wav(chunk("fmt ", fmt(1, 1, 8000, 16)), chunk("data", new byte[] {0, 64, 0, 32}));
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(bytes.length - 8, -1);
        assertArrayEquals(new float[] {0.5f, 0.25f}, WavReader.read(FILE, bytes).channel(0));
    }

    @Test
    void rejectsTruncatedDataChunk() {
        byte[] whole = wav(chunk("fmt ", fmt(1, 1, 8000, 16)), chunk("data", new byte[400]));
        assertError(Arrays.copyOf(whole, whole.length - 100), "truncated data chunk");
    }

    @Test
    void rejectsTruncatedFmtChunk() {
        byte[] whole = wav(chunk("fmt ", fmt(1, 1, 8000, 16)));
        assertError(Arrays.copyOf(whole, whole.length - 6), "truncated fmt");
    }

    @Test
    void rejectsNonWavBytes() {
        assertError(
                "ID3\3\0\0\0\0\0\0\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1),
                "not a RIFF/WAVE");
        assertError(new byte[3], "not a RIFF/WAVE");
    }

    @Test
    void rejectsDataBeforeFmt() {
        byte[] bytes = wav(chunk("data", new byte[4]), chunk("fmt ", fmt(1, 1, 8000, 16)));
        assertError(bytes, "data chunk before fmt");
    }

    @Test
    void rejectsMissingDataAndUnsupportedEncodings() {
        assertError(wav(chunk("fmt ", fmt(1, 1, 8000, 16))), "no data chunk");
        assertError(
                wav(chunk("fmt ", fmt(2, 1, 8000, 4)), chunk("data", new byte[4])),
                "unsupported WAV encoding");
        assertError(
                wav(chunk("fmt ", fmt(1, 0, 8000, 16)), chunk("data", new byte[4])),
                "channel count");
    }

    @Test
    void errorsNameTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("broken.wav");
        Files.write(file, wav(chunk("fmt ", fmt(1, 1, 8000, 16))));
        AudioFormatException e =
                assertThrows(AudioFormatException.class, () -> WavReader.read(file));
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
    }

    @Test
    void writerRoundTripsSixteenBitStereo(@TempDir Path dir) throws Exception {
        int n = 1000;
        float[][] ch = new float[2][n];
        for (int i = 0; i < n; i++) {
            ch[0][i] = (float) Math.sin(i * 0.05) * 0.9f;
            ch[1][i] = (i - 500) / 400f; // runs past +-1 at both ends: must clip, not wrap
        }
        Path file = dir.resolve("out.wav");
        WavWriter.write(file, new Audio(ch, 32000));
        Audio back = AudioFiles.read(file);
        assertEquals(32000, back.sampleRate());
        assertEquals(2, back.channelCount());
        assertEquals(n, back.frames());
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < n; i++) {
                float expected = Math.max(-1f, Math.min(32767 / 32768f, ch[c][i]));
                assertEquals(
                        expected, back.channel(c)[i], 0.5f / 32768 + 1e-7f, "ch " + c + " i " + i);
            }
        }
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    private static void assertDecodes(byte[] bytes, int channels, int rate) throws Exception {
        Audio a = WavReader.read(FILE, bytes);
        assertEquals(channels, a.channelCount());
        assertEquals(rate, a.sampleRate());
        float[] expected = new float[VALUES.length];
        for (int i = 0; i < VALUES.length; i++) {
            expected[i] = (float) VALUES[i];
        }
        assertArrayEquals(expected, a.channel(0), 1e-7f);
    }

    private static void assertError(byte[] bytes, String problem) {
        AudioFormatException e =
                assertThrows(AudioFormatException.class, () -> WavReader.read(FILE, bytes));
        assertTrue(e.getMessage().startsWith("test.wav: "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    static byte[] fmt(int format, int channels, int rate, int bits) {
        ByteBuffer b = le(16);
        int block = channels * bits / 8;
        b.putShort((short) format).putShort((short) channels).putInt(rate);
        b.putInt(rate * block).putShort((short) block).putShort((short) bits);
        return b.array();
    }

    static byte[] extensible(int subFormat, int channels, int rate, int bits) {
        ByteBuffer b = le(40);
        b.put(fmt(0xFFFE, channels, rate, bits));
        b.putShort((short) 22).putShort((short) bits).putInt(channels == 1 ? 4 : 3);
        b.putShort((short) subFormat);
        b.put(
                new byte[] {
                    0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71
                });
        return b.array();
    }

    static byte[] chunk(String id, byte[] body) {
        ByteBuffer b = le(8 + body.length + (body.length & 1));
        b.put(id.getBytes(StandardCharsets.ISO_8859_1)).putInt(body.length).put(body);
        return b.array();
    }

    static byte[] wav(byte[]... chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int size = 4;
        for (byte[] c : chunks) {
            size += c.length;
        }
        out.writeBytes("RIFF".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(le(4).putInt(size).array());
        out.writeBytes("WAVE".getBytes(StandardCharsets.ISO_8859_1));
        for (byte[] c : chunks) {
            out.writeBytes(c);
        }
        return out.toByteArray();
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }
}
