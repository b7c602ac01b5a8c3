package image2music.audio.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.audio.Audio;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Decodes the committed clips in {@code fixtures/media} (see its README). */
class FfmpegDecoderTest {

    /** Encoder priming and frame padding the decoders do not trim away completely. */
    private static final double DURATION_TOLERANCE_S = 0.06;

    /** The tone's frequency must come out within this many Hz. */
    private static final double FREQUENCY_TOLERANCE_HZ = 2.0;

    @TempDir Path dir;

    @ParameterizedTest
    @CsvSource({
        "tone-44100-stereo.mp3, 44100, 2, mp3",
        "tone-48000-stereo.m4a, 48000, 2, aac",
        "tone-48000-mono.opus, 48000, 1, opus",
        "tone-48000-mono.webm, 48000, 1, opus",
        "tone-22050-mono.ogg, 22050, 1, vorbis",
        "tone-16000-mono.flac, 16000, 1, flac",
        "tone-8000-mono-mulaw.wav, 8000, 1, pcm_mulaw"
    })
    void decodesEachFormatAtItsNativeRateAndLayout(
            String name, int rate, int channels, String codec) throws Exception {
        Path file = fixture(name);
        Audio audio = AudioFiles.read(file);
        assertEquals(rate, audio.sampleRate(), name);
        assertEquals(channels, audio.channelCount(), name);
        assertEquals(1.0, audio.durationSeconds(), DURATION_TOLERANCE_S, name);
        assertEquals(440, dominantFrequency(audio.channel(0), rate), FREQUENCY_TOLERANCE_HZ, name);
        if (channels == 2) {
            assertEquals(
                    660, dominantFrequency(audio.channel(1), rate), FREQUENCY_TOLERANCE_HZ, name);
        }
        // ffmpeg's sine source plays at 1/8 of full scale: RMS -18.06 - 3.01 dBFS.
        double rms = audio.rmsDbfs();
        assertEquals(-21.07, rms, 1.0, name + " RMS level");

        AudioInfo info = AudioFiles.probe(file);
        assertEquals(rate, info.sampleRate(), name);
        assertEquals(channels, info.channels(), name);
        assertEquals(codec, info.codec(), name);
        assertEquals(1.0, info.durationSeconds(), DURATION_TOLERANCE_S, name);
    }

    @Test
    void keepsMoreThanTwoChannelsAsTheyAre() throws Exception {
        Path file = fixture("tones-8000-5.1.flac");
        Audio audio = AudioFiles.read(file);
        assertEquals(6, audio.channelCount());
        assertEquals(8000, audio.sampleRate());
        for (int c = 0; c < 6; c++) {
            assertEquals(
                    300 + 100 * c,
                    dominantFrequency(audio.channel(c), 8000),
                    FREQUENCY_TOLERANCE_HZ,
                    "channel " + c);
        }
        assertEquals(new AudioInfo(1.0, 8000, 6, "flac"), AudioFiles.probe(file));
    }

    @Test
    void decodesOnlyTheSpanAskedFor() throws Exception {
        Path flac = fixture("tone-16000-mono.flac");
        Audio whole = FfmpegDecoder.decode(flac);
        Audio span = FfmpegDecoder.decode(flac, 0.25, 0.5);
        assertEquals(8000, span.frames());
        int from = 4000;
        for (int i = 0; i < span.frames(); i += 97) {
            assertEquals(whole.channel(0)[from + i], span.channel(0)[i], 0f, "sample " + i);
        }
        // Past the end: nothing, not an error; a span running over the end stops there.
        assertEquals(0, FfmpegDecoder.decode(flac, 5, 1).frames());
        assertEquals(whole.frames() - 12000, FfmpegDecoder.decode(flac, 0.75, 10).frames());

        Path wav = dir.resolve("long.wav");
        float[] x = new float[8000 * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 100) / 200f;
        }
        WavWriter.write(wav, Audio.mono(x, 8000));
        Audio cut = AudioFiles.read(wav, 1, 0.5);
        assertEquals(4000, cut.frames());
        assertEquals(x[8000 + 123], cut.channel(0)[123], 1e-4f);
    }

    @Test
    void streamsTheWholeFileInBlocksAtTheRateAskedFor() throws Exception {
        Path ogg = fixture("tone-22050-mono.ogg");
        java.util.List<Audio> blocks = new java.util.ArrayList<>();
        FfmpegDecoder.stream(ogg, 44100, 10_000, blocks::add);
        long total = blocks.stream().mapToLong(Audio::frames).sum();
        Audio whole = Resampler.resample(FfmpegDecoder.decode(ogg), 44100);
        assertEquals(whole.frames(), total, 64);
        for (int i = 0; i < blocks.size() - 1; i++) {
            assertEquals(10_000, blocks.get(i).frames());
            assertEquals(44100, blocks.get(i).sampleRate());
        }
        assertTrue(blocks.get(blocks.size() - 1).frames() <= 10_000);
        Audio all = new Audio(new float[][] {concat(blocks)}, 44100);
        assertEquals(440, dominantFrequency(all.channel(0), 44100), FREQUENCY_TOLERANCE_HZ);
    }

    private static float[] concat(java.util.List<Audio> blocks) {
        int n = blocks.stream().mapToInt(Audio::frames).sum();
        float[] out = new float[n];
        int at = 0;
        for (Audio b : blocks) {
            System.arraycopy(b.channel(0), 0, out, at, b.frames());
            at += b.frames();
        }
        return out;
    }

    @Test
    void probesWavWithoutFfmpeg() throws Exception {
        Path file = dir.resolve("a.wav");
        WavWriter.write(file, Audio.mono(new float[8000], 8000));
        assertEquals(new AudioInfo(1.0, 8000, 1, "wav"), AudioFiles.probe(file));
    }

    @Test
    void rejectsRandomBytesNamingTheFile() throws Exception {
        byte[] noise = new byte[20_000];
        new Random(7).nextBytes(noise);
        Path file = dir.resolve("noise.mp3");
        Files.write(file, noise);
        assertUnreadable(file);
        assertThrows(AudioFormatException.class, () -> AudioFiles.probe(file));
    }

    @Test
    void rejectsAnEmptyFileAndAMissingOne() throws Exception {
        Path empty = dir.resolve("empty.ogg");
        Files.write(empty, new byte[0]);
        assertUnreadable(empty);
        assertThrows(IOException.class, () -> AudioFiles.read(dir.resolve("missing.mp3")));
    }

    @ParameterizedTest
    @CsvSource({
        "tone-44100-stereo.mp3, 0.5",
        "tone-48000-stereo.m4a, 0.5",
        "tone-16000-mono.flac, 0.8",
        "tone-48000-mono.opus, 0.02",
        "tone-22050-mono.ogg, 0.02",
        "tone-48000-mono.webm, 0.02"
    })
    void rejectsATruncatedFile(String name, double keep) throws Exception {
        byte[] bytes = Files.readAllBytes(fixture(name));
        Path file = dir.resolve("cut-" + name);
        Files.write(file, Arrays.copyOf(bytes, (int) (bytes.length * keep)));
        assertUnreadable(file);
    }

    private static void assertUnreadable(Path file) {
        AudioFormatException e =
                assertThrows(AudioFormatException.class, () -> AudioFiles.read(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    }

    private Path fixture(String name) throws IOException {
        Path file = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/fixtures/media/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource fixtures/media/" + name);
            }
            Files.copy(in, file);
        }
        return file;
    }

    /**
     * Frequency of the largest Hann-windowed DFT magnitude between 100 Hz and 2 kHz, refined by
     * parabolic interpolation of the log magnitudes.
     */
    static double dominantFrequency(float[] x, int rate) {
        int n = x.length;
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = x[i] * (0.5 - 0.5 * Math.cos(2 * Math.PI * i / n));
        }
        int lo = (int) (100.0 * n / rate);
        int hi = (int) (2000.0 * n / rate);
        double[] mag = new double[hi + 2];
        for (int k = lo - 1; k <= hi + 1; k++) {
            // Rotate a phasor instead of calling sin/cos per sample.
            double stepRe = Math.cos(2 * Math.PI * k / n);
            double stepIm = -Math.sin(2 * Math.PI * k / n);
            double pRe = 1;
            double pIm = 0;
            double re = 0;
            double im = 0;
            for (int i = 0; i < n; i++) {
                re += w[i] * pRe;
                im += w[i] * pIm;
                double t = pRe * stepRe - pIm * stepIm;
                pIm = pRe * stepIm + pIm * stepRe;
                pRe = t;
            }
            mag[k] = Math.hypot(re, im);
        }
        int best = lo;
        for (int k = lo; k <= hi; k++) {
            if (mag[k] > mag[best]) {
                best = k;
            }
        }
        double a = Math.log(mag[best - 1]);
        double b = Math.log(mag[best]);
        double c = Math.log(mag[best + 1]);
        double offset = 0.5 * (a - c) / (a - 2 * b + c);
        return (best + offset) * rate / (double) n;
    }
}
