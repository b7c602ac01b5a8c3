package image2music.app.cli.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.app.cli.Main;
import image2music.audio.Audio;
import image2music.audio.io.AudioFiles;
import image2music.audio.io.WavWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SampleClipsCommandTest {

    private static final int RATE = 8000;
    private static final Pattern NAME = Pattern.compile("clip_(\\d{3})_start_(\\d+)ms\\.wav");

    @TempDir Path dir;
    private Path input;
    private Audio source;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void writeInput() throws Exception {
        // A ramp in each channel makes every sample position recognisable.
        int n = 3 * RATE;
        float[][] ch = new float[2][n];
        for (int i = 0; i < n; i++) {
            ch[0][i] = (i % 20000) / 20000f - 0.5f;
            ch[1][i] = -ch[0][i] * 0.5f;
        }
        source = AudioFiles.read(write(dir.resolve("in.wav"), new Audio(ch, RATE)));
        input = dir.resolve("in.wav");
    }

    private static Path write(Path file, Audio audio) throws Exception {
        WavWriter.write(file, audio);
        return file;
    }

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private List<Path> clips(Path folder) throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            return s.sorted().toList();
        }
    }

    @Test
    void writesClipsThatAreExactSlicesOfTheInput() throws Exception {
        Path clipsDir = dir.resolve("clips");
        int rc =
                run(
                        "sample-clips",
                        "--audio",
                        input.toString(),
                        "--out",
                        clipsDir.toString(),
                        "--count",
                        "4",
                        "--duration",
                        "0.5",
                        "--seed",
                        "7");
        assertEquals(0, rc, err.toString());
        assertTrue(out.toString().contains("wrote 4 clips of 0.500 s"), out.toString());
        List<Path> files = clips(clipsDir);
        assertEquals(4, files.size());
        for (int i = 0; i < files.size(); i++) {
            Matcher m = NAME.matcher(files.get(i).getFileName().toString());
            assertTrue(m.matches(), files.get(i).toString());
            assertEquals(i, Integer.parseInt(m.group(1)));
            long startMs = Long.parseLong(m.group(2));
            assertTrue(startMs <= 2500, "start " + startMs);
            Audio clip = AudioFiles.read(files.get(i));
            assertEquals(RATE, clip.sampleRate());
            assertEquals(2, clip.channelCount());
            assertEquals(RATE / 2, clip.frames());
            Audio expected = source.slice((int) (startMs * RATE / 1000), RATE / 2);
            for (int c = 0; c < 2; c++) {
                assertArrayEquals(
                        expected.channel(c),
                        clip.channel(c),
                        1f / 32768,
                        files.get(i) + " ch " + c);
            }
        }
    }

    @Test
    void sameSeedGivesSameClipsAndMonoAveragesChannels() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        String[] common = {
            "--audio", input.toString(), "--count", "3", "--duration", "0.25", "--seed", "42"
        };
        assertEquals(0, run(concat(new String[] {"sample-clips", "--out", a.toString()}, common)));
        assertEquals(
                0,
                run(
                        concat(
                                new String[] {
                                    "sample-clips", "--mono", "--json", "--out", b.toString()
                                },
                                common)));
        List<String> namesA = clips(a).stream().map(p -> p.getFileName().toString()).toList();
        List<String> namesB = clips(b).stream().map(p -> p.getFileName().toString()).toList();
        assertEquals(namesA, namesB);
        Audio mono = AudioFiles.read(clips(b).get(0));
        assertEquals(1, mono.channelCount());
        assertEquals(
                3,
                out.toString().lines().filter(l -> l.startsWith("{\"file\":")).count(),
                out.toString());
    }

    @Test
    void inputShorterThanTheClipIsAnErrorNamingTheFile() {
        Path clipsDir = dir.resolve("none");
        int rc =
                run(
                        "sample-clips",
                        "--audio",
                        input.toString(),
                        "--out",
                        clipsDir.toString(),
                        "--duration",
                        "3.5");
        assertEquals(1, rc);
        String msg = err.toString().trim();
        assertTrue(msg.startsWith("error: " + input + ": 3.000 s long, shorter than"), msg);
        assertEquals(1, msg.lines().count(), msg);
        assertFalse(Files.exists(clipsDir));
    }

    @Test
    void unreadableInputIsOneLineError() throws Exception {
        Path bad = dir.resolve("bad.mp3");
        Files.write(bad, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13});
        assertEquals(
                1,
                run(
                        "sample-clips",
                        "--audio",
                        bad.toString(),
                        "--out",
                        dir.resolve("o").toString()));
        assertTrue(err.toString().startsWith("error: " + bad + ": "), err.toString());
    }

    @Test
    void badCountOrDurationIsAUsageError() {
        assertEquals(
                2, run("sample-clips", "--audio", input.toString(), "--out", "x", "--count", "0"));
        assertEquals(
                2,
                run("sample-clips", "--audio", input.toString(), "--out", "x", "--duration", "-1"));
        assertEquals(2, run("sample-clips", "--out", "x"));
    }

    private static String[] concat(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }
}
