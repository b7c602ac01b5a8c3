package image2music.data.importer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.audio.Audio;
import image2music.audio.io.WavWriter;
import image2music.core.manifest.MediaLayout;
import image2music.core.manifest.MediaRecord;
import image2music.data.media.AudioCheck;
import image2music.data.media.CollectListener;
import image2music.data.media.CollectSummary;
import image2music.data.media.MediaRootAssertions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioImporterTest {

    @TempDir Path from;
    @TempDir Path root;

    private static void tone(Path file, double seconds, double hz) throws Exception {
        int rate = 8000;
        float[] x = new float[(int) (seconds * rate)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.5 * Math.sin(2 * Math.PI * hz * i / rate));
        }
        WavWriter.write(file, new Audio(new float[][] {x}, rate));
    }

    @Test
    void importsReadableUniqueFilesUnchangedAndResumes() throws Exception {
        Path calm = Files.createDirectories(from.resolve("calm"));
        tone(calm.resolve("a.wav"), 2, 220);
        Files.copy(calm.resolve("a.wav"), calm.resolve("a again.WAV"));
        tone(calm.resolve("short.wav"), 0.2, 440);
        Files.writeString(calm.resolve("lyrics.txt"), "la la la");
        Path storm = Files.createDirectories(from.resolve("storm"));
        Files.copy(calm.resolve("a.wav"), storm.resolve("same as calm.wav"));
        tone(storm.resolve("b.wav"), 1.5, 330);

        AudioImporter importer =
                new AudioImporter(
                        new AudioCheck(1, 600), false, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
        CollectSummary s = importer.run(from, root, Set.of(), CollectListener.NONE);
        assertEquals(1, s.label("calm").kept(), s.lines().toString());
        assertEquals(1, s.label("calm").duplicates());
        assertEquals(Map.of("too-short", 1, "unreadable", 1), s.label("calm").rejected());
        assertEquals(2, s.label("storm").kept());
        assertEquals(1, s.label("storm").crossLabel());

        List<MediaRecord> records = MediaRootAssertions.assertConsistent(root);
        assertEquals(3, records.size());
        MediaRecord a = records.get(0);
        assertEquals("local", a.source());
        assertEquals(2.0, a.durationS(), 1e-3);
        assertTrue(a.path().matches("calm/[0-9a-f]{16}\\.(wav)"), a.path());
        // Stored unchanged; the user's files stay where they were.
        assertArrayEquals(
                Files.readAllBytes(from.resolve("calm/a again.WAV")),
                Files.readAllBytes(MediaLayout.resolve(root, a.path())));
        assertTrue(Files.exists(from.resolve("calm/a.wav")));

        CollectSummary again = importer.run(from, root, Set.of(), CollectListener.NONE);
        assertEquals(0, again.total(CollectSummary.Counts::kept));
        assertEquals(records, MediaRootAssertions.assertConsistent(root));
    }

    @Test
    void aWavThatBuildDatasetWouldRefuseIsRefusedAtImport() throws Exception {
        Path calm = Files.createDirectories(from.resolve("calm"));
        tone(calm.resolve("whole.wav"), 2, 220);
        byte[] wav = Files.readAllBytes(calm.resolve("whole.wav"));
        // The header still claims 2 s of samples; the file holds half of them.
        Files.write(calm.resolve("cut.wav"), java.util.Arrays.copyOf(wav, wav.length / 2));
        List<String> notes = new java.util.ArrayList<>();
        CollectSummary s =
                new AudioImporter(
                                new AudioCheck(0.5, 600),
                                false,
                                Clock.fixed(Instant.EPOCH, ZoneOffset.UTC))
                        .run(
                                from,
                                root,
                                Set.of(),
                                new CollectListener() {
                                    @Override
                                    public void note(String message) {
                                        notes.add(message);
                                    }
                                });
        assertEquals(1, s.label("calm").kept(), notes.toString());
        assertEquals(Map.of("unreadable", 1), s.label("calm").rejected());
        assertTrue(
                notes.stream().anyMatch(n -> n.contains("truncated data chunk")), notes.toString());
    }
}
