package image2music.audio.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.audio.Audio;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioFilesTest {

    @TempDir Path dir;

    @Test
    void sniffsContentNotTheFileName() throws Exception {
        // A WAV named .mp3 is still read natively; an m4a named .wav still goes to FFmpeg.
        Path wavNamedMp3 = dir.resolve("really-a-wav.mp3");
        WavWriter.write(wavNamedMp3, Audio.mono(new float[800], 8000));
        assertEquals(800, AudioFiles.read(wavNamedMp3).frames());
        Path m4aNamedWav = dir.resolve("really-an-m4a.wav");
        copyFixture("tone-48000-stereo.m4a", m4aNamedWav);
        assertEquals(48000, AudioFiles.read(m4aNamedWav).sampleRate());
    }

    @Test
    void readMonoAveragesAndResamples() throws Exception {
        Path m4a = dir.resolve("tone.m4a");
        copyFixture("tone-48000-stereo.m4a", m4a);
        Audio stereo = AudioFiles.read(m4a);
        Audio mono = AudioFiles.readMono(m4a, 44100);
        assertEquals(1, mono.channelCount());
        assertEquals(44100, mono.sampleRate());
        assertEquals(Math.round(stereo.frames() * 44100.0 / 48000), mono.frames());
        double f = FfmpegDecoderTest.dominantFrequency(mono.channel(0), 44100);
        assertTrue(Math.abs(f - 440) < 2 || Math.abs(f - 660) < 2, "dominant " + f);
    }

    /**
     * Reading WAV must not load FFmpeg (its natives take a while); checked in a fresh JVM that
     * lists the classes it loads. The m4a run shows the check can see FFmpeg being loaded.
     */
    @Test
    void loadsFfmpegOnlyForNonWavFiles() throws Exception {
        Path wav = dir.resolve("a.wav");
        WavWriter.write(wav, Audio.mono(new float[800], 8000));
        Path m4a = dir.resolve("a.m4a");
        copyFixture("tone-48000-stereo.m4a", m4a);
        assertFalse(loadsFfmpeg(wav), "reading WAV loaded FFmpeg classes");
        assertTrue(loadsFfmpeg(m4a), "reading m4a did not load FFmpeg classes");
    }

    private static boolean loadsFfmpeg(Path file) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p =
                new ProcessBuilder(
                                java,
                                "-Xshare:auto",
                                "-verbose:class",
                                "-cp",
                                System.getProperty("java.class.path"),
                                ReadMain.class.getName(),
                                file.toString())
                        .redirectErrorStream(true)
                        .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM hung");
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("read ok"), output);
        return output.contains("org.bytedeco.ffmpeg");
    }

    /** Entry point of the child JVM: reads one file. */
    public static final class ReadMain {
        public static void main(String[] args) throws Exception {
            AudioFiles.read(Path.of(args[0]));
            System.out.println("read ok");
        }
    }

    private void copyFixture(String name, Path to) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/fixtures/media/" + name)) {
            Files.copy(in, to);
        }
    }
}
