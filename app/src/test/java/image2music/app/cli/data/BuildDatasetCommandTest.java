package image2music.app.cli.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.app.cli.CliRun;
import image2music.audio.SyntheticMusic;
import image2music.audio.io.AudioFiles;
import image2music.audio.io.WavWriter;
import image2music.audio.spectrogram.SpectrogramImageIO;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.core.manifest.MediaLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildDatasetCommandTest {

    private static String s(Path p) {
        return p.toString();
    }

    @Test
    void buildsSpectrogramTilesWithCaptionsAndResumes(@TempDir Path tmp) throws Exception {
        Path audio = tmp.resolve("audio");
        Files.createDirectories(audio.resolve("calm"));
        Files.createDirectories(audio.resolve("bright sunny"));
        WavWriter.write(audio.resolve("calm/a.wav"), SyntheticMusic.clip(2.3, 44100, 1));
        WavWriter.write(audio.resolve("bright sunny/b.wav"), SyntheticMusic.clip(1.2, 32000, 2));
        Path out = tmp.resolve("ds");
        String[] args = {
            "build-dataset",
            "--audio",
            s(audio),
            "--out",
            s(out),
            "--segment-seconds",
            "1",
            "--tile-width",
            "64"
        };

        CliRun r = CliRun.of(args);

        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("2 files"), r.out());
        assertTrue(r.out().contains("6 images"), r.out()); // 2 + 1 segments, 2 tiles each
        String calm = MediaLayout.sha256Hex(audio.resolve("calm/a.wav")).substring(0, 16);
        List<String> csv = Files.readAllLines(out.resolve("metadata.csv"));
        assertEquals("file_name,text", csv.get(0));
        assertEquals(7, csv.size());
        assertTrue(csv.contains(calm + "_001_01.png,calm"), csv.toString());
        SpectrogramImageIO.Loaded tile = SpectrogramImageIO.read(out.resolve(calm + "_000_00.png"));
        assertEquals(64, tile.image().getWidth());
        assertEquals(512, tile.image().getHeight());
        assertEquals(SpectrogramParams.defaults(), tile.params());
        assertTrue(tile.maxValue().isPresent());

        CliRun again = CliRun.of(args);
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.out().contains("2 already done"), again.out());
    }

    @Test
    void fewerMelBinsMakeShorterTilesThatImageToAudioReadsBack(@TempDir Path tmp) throws Exception {
        Path audio = tmp.resolve("audio");
        Files.createDirectories(audio.resolve("calm"));
        WavWriter.write(audio.resolve("calm/a.wav"), SyntheticMusic.clip(1.1, 44100, 4));
        Path out = tmp.resolve("ds");
        String[] args = {
            "build-dataset",
            "--audio",
            s(audio),
            "--out",
            s(out),
            "--segment-seconds",
            "1",
            "--tile-width",
            "64",
            "--no-progress",
            "--mel-bins",
            "64"
        };

        CliRun r = CliRun.of(args);
        assertTrue(r.err().isEmpty(), "--no-progress: no bar: " + r.err());

        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("2 images"), r.out());
        String calm = MediaLayout.sha256Hex(audio.resolve("calm/a.wav")).substring(0, 16);
        Path png = out.resolve(calm + "_000_01.png");
        SpectrogramImageIO.Loaded tile = SpectrogramImageIO.read(png);
        assertEquals(64, tile.image().getWidth());
        assertEquals(64, tile.image().getHeight());
        assertEquals(SpectrogramParams.defaults().withNumFrequencies(64), tile.params());
        assertEquals(
                List.of("file_name,text", calm + "_000_00.png,calm", calm + "_000_01.png,calm"),
                Files.readAllLines(out.resolve("metadata.csv")));

        // The tile carries its bin count, so image-to-audio needs no option to decode it.
        Path wav = tmp.resolve("back.wav");
        CliRun back = CliRun.of("image-to-audio", "--image", s(png), "--audio", s(wav));
        assertEquals(0, back.exitCode(), back.err());
        assertEquals(63 * 441, AudioFiles.read(wav).frames());

        // Resuming the same folder at another bin count would mix image heights: refused.
        args[args.length - 1] = "128";
        CliRun other = CliRun.of(args);
        assertEquals(1, other.exitCode());
        assertTrue(other.err().contains("other parameters"), other.err());
    }

    @Test
    void aCoarserStepMakesTilesOfLongerColumnsThatImageToAudioReadsBack(@TempDir Path tmp)
            throws Exception {
        Path audio = tmp.resolve("audio");
        Files.createDirectories(audio.resolve("calm"));
        WavWriter.write(audio.resolve("calm/a.wav"), SyntheticMusic.clip(1.1, 44100, 4));
        Path out = tmp.resolve("ds");
        CliRun r =
                CliRun.of(
                        "build-dataset",
                        "--audio",
                        s(audio),
                        "--out",
                        s(out),
                        "--segment-seconds",
                        "1",
                        "--tile-width",
                        "26",
                        "--mel-bins",
                        "64",
                        "--step-ms",
                        "20",
                        "--no-progress");
        assertEquals(0, r.exitCode(), r.err());
        // 1 s is 51 columns of 20 ms: two 26-px tiles, where 101 columns of 10 ms make four.
        assertTrue(r.out().contains("2 images"), r.out());
        String calm = MediaLayout.sha256Hex(audio.resolve("calm/a.wav")).substring(0, 16);
        Path png = out.resolve(calm + "_000_01.png");
        SpectrogramImageIO.Loaded tile = SpectrogramImageIO.read(png);
        assertEquals(26, tile.image().getWidth());
        assertEquals(
                SpectrogramParams.defaults().withStepSizeMs(20).withNumFrequencies(64),
                tile.params());

        Path wav = tmp.resolve("back.wav");
        CliRun back = CliRun.of("image-to-audio", "--image", s(png), "--audio", s(wav));
        assertEquals(0, back.exitCode(), back.err());
        assertEquals(25 * 882, AudioFiles.read(wav).frames());

        for (String bad : List.of("0", "101")) {
            CliRun refused =
                    CliRun.of(
                            "build-dataset",
                            "--audio",
                            s(audio),
                            "--out",
                            s(tmp.resolve("o")),
                            "--step-ms",
                            bad);
            assertEquals(2, refused.exitCode(), bad);
            assertTrue(refused.err().contains("step must be 1 to the 100 ms window: " + bad), bad);
        }
    }

    @Test
    void melBinsOutOfRangeIsAUsageError(@TempDir Path tmp) throws Exception {
        CliRun r =
                CliRun.of(
                        "build-dataset",
                        "--audio",
                        s(tmp),
                        "--out",
                        s(tmp.resolve("o")),
                        "--mel-bins",
                        "8");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("mel bins must be in 16..1024: 8"), r.err());
    }

    @Test
    void unreadableFileFailsTheRunAfterTheOthersAreBuilt(@TempDir Path tmp) throws Exception {
        Path audio = tmp.resolve("audio");
        Files.createDirectories(audio.resolve("calm"));
        WavWriter.write(audio.resolve("calm/good.wav"), SyntheticMusic.clip(1.1, 44100, 3));
        Files.write(audio.resolve("calm/broken.mp3"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        Path out = tmp.resolve("ds");

        CliRun r =
                CliRun.of(
                        "build-dataset",
                        "--audio",
                        s(audio),
                        "--out",
                        s(out),
                        "--segment-seconds",
                        "1",
                        "--tile-width",
                        "64");

        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("broken.mp3"), r.err());
        assertEquals(3, Files.readAllLines(out.resolve("metadata.csv")).size());
        try (Stream<Path> files = Files.list(out)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".part")));
        }
    }

    @Test
    void segmentShorterThanATileIsAUsageError(@TempDir Path tmp) throws Exception {
        CliRun r =
                CliRun.of(
                        "build-dataset",
                        "--audio",
                        s(tmp),
                        "--out",
                        s(tmp.resolve("o")),
                        "--segment-seconds",
                        "2");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("shorter than one 512 px tile"), r.err());
    }

    @Test
    void sparkEngineSaysHowToGetItWhenItIsNotOnTheClassPath(@TempDir Path tmp) throws Exception {
        Path audio = tmp.resolve("audio");
        Files.createDirectories(audio.resolve("calm"));
        WavWriter.write(audio.resolve("calm/a.wav"), SyntheticMusic.clip(1.2, 44100, 1));

        CliRun r =
                CliRun.of(
                        "build-dataset",
                        "--audio",
                        s(audio),
                        "--out",
                        s(tmp.resolve("ds")),
                        "--engine",
                        "spark",
                        "--master",
                        "local[2]");

        assertEquals(1, r.exitCode(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("Spark engine is not on the class path"), r.err());
        assertTrue(r.err().contains("mvn -B -DskipTests package"), r.err());
    }

    @Test
    void masterWithoutSparkEngineIsAUsageError(@TempDir Path tmp) throws Exception {
        CliRun r =
                CliRun.of(
                        "build-dataset",
                        "--audio",
                        s(tmp),
                        "--out",
                        s(tmp.resolve("ds")),
                        "--master",
                        "local[2]");

        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("--master needs --engine spark"), r.err());
    }

    @Test
    void parquetWithoutSparkEngineIsAUsageError(@TempDir Path tmp) throws Exception {
        CliRun r =
                CliRun.of(
                        "build-dataset",
                        "--audio",
                        s(tmp),
                        "--out",
                        s(tmp.resolve("ds")),
                        "--format",
                        "parquet");

        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("--format parquet needs --engine spark"), r.err());
    }
}
