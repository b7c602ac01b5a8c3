package image2music.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.audio.spectrogram.SpectrogramImageIO;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.pipeline.TinyModels;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outputs whose size follows from user values or input files are refused over an hour or 1 GiB of
 * WAV, before any work, with one line saying what they would have been, unless {@code --force}.
 */
class OutputSizeTest {

    @TempDir static Path dir;

    private static Path generator;

    /** 4000 px at 1 s per column (its EXIF): 67 min of WAV from a few KB. */
    private static Path hoursImage;

    @BeforeAll
    static void fixtures() throws IOException {
        generator = TinyModels.generator(dir.resolve("generator"));
        hoursImage = dir.resolve("hours.png");
        SpectrogramParams p =
                new SpectrogramParams(false, 48_000, 1000, 100, 400, 8, 0, 10000, 0.25, 0);
        SpectrogramImageIO.write(
                hoursImage, new BufferedImage(4000, 8, BufferedImage.TYPE_INT_RGB), p, 1.0);
        assertTrue(Files.size(hoursImage) < 100_000, "a small file: " + Files.size(hoursImage));
    }

    private static void assertRefused(CliRun r, Path wav) {
        assertEquals(1, r.exitCode(), r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "one line: " + err);
        assertTrue(err.startsWith("error: " + wav + ": would be "), err);
        assertTrue(err.contains("add --force"), err);
        assertFalse(Files.exists(wav), "nothing written");
    }

    @Test
    void imageToAudioRefusesATinyImageWhoseExifMakesHoursOfAudio() {
        Path wav = dir.resolve("hours.wav");
        CliRun r =
                CliRun.of(
                        "image-to-audio",
                        "--image",
                        hoursImage.toString(),
                        "--audio",
                        wav.toString());
        assertRefused(r, wav);
        assertTrue(r.err().contains("66.7 min of 48000 Hz mono audio (366.2 MiB)"), r.err());
    }

    @Test
    void textToAudioRefusesMoreThanAnHourFromSecondsOrWidth() {
        Path wav = dir.resolve("long.wav");
        String[] common = {
            "text-to-audio", "--model", generator.toString(), "--prompt", "calm", "--steps", "1"
        };
        assertRefused(CliRun.of(concat(common, "--out", wav.toString(), "--seconds", "5000")), wav);
        CliRun wide = CliRun.of(concat(common, "--out", wav.toString(), "--width", "400000"));
        assertRefused(wide, wav);
        assertTrue(wide.err().contains("--width 400000 px"), wide.err());
    }

    @Test
    void audioToAudioRefusesAnInputOfHours() {
        Path wav = dir.resolve("restyled.wav");
        CliRun r =
                CliRun.of(
                        "audio-to-audio",
                        "--model",
                        generator.toString(),
                        "--image",
                        hoursImage.toString(),
                        "--prompt",
                        "calm",
                        "--steps",
                        "1",
                        "--out",
                        wav.toString());
        assertRefused(r, wav);
    }

    @Test
    void interpolateRefusesAJoinedPieceOfHours() {
        Path out = dir.resolve("morph");
        CliRun r =
                CliRun.of(
                        "interpolate",
                        "--model",
                        generator.toString(),
                        "--from",
                        "calm",
                        "--to",
                        "dark",
                        "--steps-between",
                        "100000",
                        "--steps",
                        "1",
                        "--width",
                        "256",
                        "--out",
                        out.toString());
        assertRefused(r, out.resolve("interpolation.wav"));
        assertFalse(Files.exists(out.resolve("clip-000.wav")));
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
