package image2music.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.audio.SyntheticMusic;
import image2music.audio.io.WavWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job's command line, as spark-submit and {@code build-dataset --engine spark} run it. */
class SparkDatasetJobTest {

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // Spark's scratch files under target/, as in the other tests.
        System.setProperty("spark.local.dir", "target/spark-local");
        System.setProperty("spark.driver.host", "localhost");
        int code = SparkDatasetJob.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void buildsAndReportsABadFileInOneLineWithExitCode1(@TempDir Path tmp) throws Exception {
        Path audio = tmp.resolve("audio");
        Files.createDirectories(audio.resolve("calm"));
        WavWriter.write(audio.resolve("calm/a.wav"), SyntheticMusic.clip(2.5, 44100, 1));
        Files.write(audio.resolve("calm/bad.wav"), "junk".getBytes(StandardCharsets.US_ASCII));
        Path out = tmp.resolve("ds");

        Run r =
                run(
                        "--audio", audio.toString(),
                        "--out", out.toString(),
                        "--segment-seconds", "1",
                        "--tile-width", "64",
                        "--mel-bins", "64",
                        "--master", "local[2]");

        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().contains("2 files (0 already done, 1 failed"), r.out());
        assertTrue(r.out().contains("4 images"), r.out()); // 2 segments, 2 tiles each
        assertTrue(r.err().contains("error: " + audio.resolve("calm/bad.wav") + ": "), r.err());
        assertTrue(r.err().contains(SparkDatasetBuilder.REJECTS), r.err());
        assertTrue(!r.err().contains("\tat "), "no stack trace without --verbose: " + r.err());
        assertEquals(5, Files.readAllLines(out.resolve("metadata.csv")).size());
    }

    @Test
    void inconsistentParametersAreAUsageError(@TempDir Path tmp) {
        Run r =
                run(
                        "--audio", tmp.toString(),
                        "--out", tmp.resolve("ds").toString(),
                        "--segment-seconds", "1");

        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("shorter than one 512 px tile"), r.err());
    }

    @Test
    void anEmptyFolderFailsWithOneLine(@TempDir Path tmp) {
        Run r =
                run(
                        "--audio", tmp.toString(),
                        "--out", tmp.resolve("ds").toString(),
                        "--master", "local[1]");

        assertEquals(1, r.code(), r.err());
        assertEquals("error: " + tmp + ": no labelled audio files found", r.err().strip());
    }
}
