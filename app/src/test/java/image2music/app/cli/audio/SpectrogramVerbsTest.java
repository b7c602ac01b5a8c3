package image2music.app.cli.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.app.cli.CliRun;
import image2music.audio.Audio;
import image2music.audio.SyntheticMusic;
import image2music.audio.io.AudioFiles;
import image2music.audio.io.WavWriter;
import image2music.audio.spectrogram.SpectrogramImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** audio-to-image, image-to-audio, print-exif and plot-spectrogram, run in-process. */
class SpectrogramVerbsTest {

    @TempDir Path dir;
    Path wav;
    Path junk;

    @BeforeEach
    void clip() throws Exception {
        wav = dir.resolve("clip.wav");
        WavWriter.write(wav, SyntheticMusic.clip(1.0, 44100, 3));
        junk = dir.resolve("junk.wav");
        Files.writeString(junk, "definitely not audio");
    }

    private String s(Path p) {
        return p.toString();
    }

    @Test
    void audioToImageWritesATaggedImageOfTheRequestedSpan() throws Exception {
        Path png = dir.resolve("out/clip.png");
        CliRun r =
                CliRun.of(
                        "audio-to-image",
                        "--audio",
                        s(wav),
                        "--image",
                        s(png),
                        "--start",
                        "0.25",
                        "--duration",
                        "0.5");
        assertEquals(0, r.exitCode(), r.err());
        SpectrogramImageIO.Loaded loaded = SpectrogramImageIO.read(png);
        assertEquals(1 + 22050 / 441, loaded.image().getWidth());
        assertEquals(512, loaded.image().getHeight());
        assertTrue(loaded.maxValue().isPresent());
        assertFalse(loaded.params().stereo());
    }

    @Test
    void stereoImageHasAnEmptyRedChannel() throws Exception {
        Path png = dir.resolve("stereo.png");
        CliRun r = CliRun.of("audio-to-image", "--audio", s(wav), "--image", s(png), "--stereo");
        assertEquals(0, r.exitCode(), r.err());
        SpectrogramImageIO.Loaded loaded = SpectrogramImageIO.read(png);
        assertTrue(loaded.params().stereo());
        BufferedImage img = loaded.image();
        boolean anyGreen = false;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int c = img.getRGB(x, y);
                assertEquals(0, (c >> 16) & 0xFF, "red at " + x + "," + y);
                anyGreen |= ((c >> 8) & 0xFF) < 255;
            }
        }
        assertTrue(anyGreen);

        Path back = dir.resolve("stereo.wav");
        assertEquals(
                0, CliRun.of("image-to-audio", "--image", s(png), "--audio", s(back)).exitCode());
        assertEquals(2, AudioFiles.read(back).channelCount());
    }

    @Test
    void imageToAudioIsDeterministicPerSeedAndSizedByWidth() throws Exception {
        Path png = dir.resolve("clip.png");
        assertEquals(
                0, CliRun.of("audio-to-image", "--audio", s(wav), "--image", s(png)).exitCode());
        Path a = dir.resolve("a.wav");
        Path b = dir.resolve("b.wav");
        CliRun r =
                CliRun.of(
                        "image-to-audio",
                        "--image",
                        s(png),
                        "--audio",
                        s(a),
                        "--seed",
                        "4",
                        "--griffin-lim-iters",
                        "8");
        assertEquals(0, r.exitCode(), r.err());
        CliRun.of(
                "image-to-audio",
                "--image",
                s(png),
                "--audio",
                s(b),
                "--seed",
                "4",
                "--griffin-lim-iters",
                "8");
        Audio out = AudioFiles.read(a);
        assertEquals(44100, out.sampleRate());
        assertEquals(100 * 441, out.frames());
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(b)));
    }

    @Test
    void printExifListsRiffusionNamesAndValues() throws Exception {
        Path png = dir.resolve("clip.png");
        CliRun.of("audio-to-image", "--audio", s(wav), "--image", s(png));
        CliRun r = CliRun.of("print-exif", "--image", s(png));
        assertEquals(0, r.exitCode(), r.err());
        String[] lines = r.out().strip().split("\\R");
        assertEquals(10, lines.length, r.out());
        assertEquals("SAMPLE_RATE = 44100", lines[0]);
        assertEquals("STEREO = 0", lines[1]);
        assertEquals("POWER_FOR_IMAGE = 0.25", lines[8]);
        assertTrue(lines[9].matches("MAX_VALUE = \\d+(\\.\\d+)?"), lines[9]);

        Path plain = dir.resolve("plain.png");
        ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", plain.toFile());
        CliRun none = CliRun.of("print-exif", "--image", s(plain));
        assertEquals(0, none.exitCode());
        assertTrue(none.err().contains("no spectrogram EXIF tags"), none.err());
    }

    @Test
    void plotFromAudioOrImageIsALabelledPng() throws Exception {
        Path png = dir.resolve("clip.png");
        CliRun.of("audio-to-image", "--audio", s(wav), "--image", s(png));
        Path fromImage = dir.resolve("plot-image.png");
        Path fromAudio = dir.resolve("plot-audio.png");
        assertEquals(
                0,
                CliRun.of("plot-spectrogram", "--image", s(png), "--out", s(fromImage)).exitCode());
        CliRun r =
                CliRun.of(
                        "plot-spectrogram",
                        "--audio",
                        s(wav),
                        "--out",
                        s(fromAudio),
                        "--colormap",
                        "VIRIDIS");
        assertEquals(0, r.exitCode(), r.err());
        BufferedImage plot = ImageIO.read(fromAudio.toFile());
        assertTrue(plot.getWidth() > 200 + 101 && plot.getHeight() > 512, "plot has margins");
        assertEquals(0xFFFFFF, plot.getRGB(2, 2) & 0xFFFFFF, "white margin");
    }

    @Test
    void badFilesExitOneNamingTheFileAndLeaveNoOutput() throws Exception {
        Path png = dir.resolve("never.png");
        CliRun r = CliRun.of("audio-to-image", "--audio", s(junk), "--image", s(png));
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("error: ") && r.err().contains("junk.wav"), r.err());
        assertFalse(Files.exists(png));

        Path wavOut = dir.resolve("never.wav");
        r = CliRun.of("image-to-audio", "--image", s(junk), "--audio", s(wavOut));
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("junk.wav"), r.err());
        assertFalse(Files.exists(wavOut));

        Path small = dir.resolve("small.png");
        ImageIO.write(new BufferedImage(4, 100, BufferedImage.TYPE_INT_RGB), "png", small.toFile());
        r = CliRun.of("image-to-audio", "--image", s(small), "--audio", s(wavOut));
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("small.png") && r.err().contains("100 px"), r.err());

        r = CliRun.of("audio-to-image", "--audio", s(wav), "--image", s(png), "--start", "9");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("past the end"), r.err());

        r = CliRun.of("print-exif", "--image", s(dir.resolve("missing.png")));
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("missing.png"), r.err());
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".part")));
        }
    }

    @Test
    void anOutputThatIsTheInputIsRefusedAndTheInputKept() throws Exception {
        Path png = dir.resolve("clip.png");
        assertEquals(
                0, CliRun.of("audio-to-image", "--audio", s(wav), "--image", s(png)).exitCode());
        byte[] image = Files.readAllBytes(png);
        byte[] audio = Files.readAllBytes(wav);
        Path link = dir.resolve("link.png");
        Files.createSymbolicLink(link, png);

        CliRun r = CliRun.of("image-to-audio", "--image", s(png), "--audio", s(png));
        assertEquals(2, r.exitCode(), r.err());
        r = CliRun.of("plot-spectrogram", "--image", s(png), "--out", s(link));
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("refusing to overwrite"), r.err());
        r = CliRun.of("plot-spectrogram", "--image", s(png), "--out", s(png));
        assertEquals(2, r.exitCode(), r.err());
        Path wavNamedPng = dir.resolve("audio.png");
        Files.write(wavNamedPng, audio);
        r = CliRun.of("audio-to-image", "--audio", s(wavNamedPng), "--image", s(wavNamedPng));
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(
                2,
                CliRun.of("image-to-audio", "--image", s(png), "--audio", s(dir.resolve("x.mp3")))
                        .exitCode());

        assertTrue(java.util.Arrays.equals(image, Files.readAllBytes(png)));
        assertTrue(java.util.Arrays.equals(audio, Files.readAllBytes(wavNamedPng)));
    }

    @Test
    void aLongFileIsRefusedWithAHintAndASpanOfItIsRendered() throws Exception {
        // 10 min 2 s of silence at 8 kHz: more than one image takes.
        Path wavLong = dir.resolve("long.wav");
        WavWriter.write(wavLong, Audio.mono(new float[8000 * 602], 8000));
        Path png = dir.resolve("long.png");
        CliRun r = CliRun.of("audio-to-image", "--audio", s(wavLong), "--image", s(png));
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("error: " + wavLong), r.err());
        assertTrue(r.err().contains("--duration"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertFalse(Files.exists(png));

        r =
                CliRun.of(
                        "audio-to-image",
                        "--audio",
                        s(wavLong),
                        "--image",
                        s(png),
                        "--start",
                        "300",
                        "--duration",
                        "2");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(201, SpectrogramImageIO.read(png).image().getWidth());
        assertEquals(
                2,
                CliRun.of(
                                "audio-to-image",
                                "--audio",
                                s(wavLong),
                                "--image",
                                s(png),
                                "--duration",
                                "4000")
                        .exitCode());
    }

    @Test
    void missingOrConflictingOptionsAreUsageErrors() {
        assertEquals(2, CliRun.of("audio-to-image", "--audio", s(wav)).exitCode());
        assertEquals(2, CliRun.of("image-to-audio", "--image", "x.png").exitCode());
        assertEquals(2, CliRun.of("print-exif").exitCode());
        assertEquals(2, CliRun.of("plot-spectrogram", "--out", "p.png").exitCode());
        assertEquals(
                2,
                CliRun.of(
                                "plot-spectrogram",
                                "--audio",
                                s(wav),
                                "--image",
                                "x.png",
                                "--out",
                                "p.png")
                        .exitCode());
        assertEquals(
                2, CliRun.of("audio-to-image", "--audio", s(wav), "--image", "x.gif").exitCode());
    }
}
