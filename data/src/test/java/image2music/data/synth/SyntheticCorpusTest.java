package image2music.data.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.audio.Audio;
import image2music.audio.dataset.AudioSources;
import image2music.audio.dataset.DatasetBuilder;
import image2music.audio.dataset.DatasetParams;
import image2music.audio.dataset.SpectrogramTileRenderer;
import image2music.audio.io.WavReader;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.core.manifest.LabelFolders;
import image2music.core.manifest.Manifest;
import image2music.core.manifest.MediaRecord;
import image2music.data.importer.AudioImporter;
import image2music.data.importer.ImageImporter;
import image2music.data.media.AudioCheck;
import image2music.data.media.CollectListener;
import image2music.data.media.CollectSummary;
import image2music.data.media.ImageParams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticCorpusTest {

    /** Tiny corpus: 4 moods x 2 items, 3 s pieces, 64 px pictures, no SoundFont lookup games. */
    private static final SynthCorpusParams TINY =
            SynthCorpusParams.defaults()
                    .withPerMood(2)
                    .withSeconds(3)
                    .withImageSize(64)
                    .withSeed(7)
                    .withThreads(2);

    @Test
    void sameSeedGivesIdenticalBytesWhateverTheThreadsAndAnotherSeedDiffers(@TempDir Path tmp)
            throws Exception {
        SyntheticCorpus.Summary s =
                new SyntheticCorpus(TINY).write(tmp.resolve("a"), CollectListener.NONE);
        new SyntheticCorpus(TINY.withThreads(1)).write(tmp.resolve("b"), CollectListener.NONE);
        new SyntheticCorpus(TINY.withSeed(8)).write(tmp.resolve("c"), CollectListener.NONE);

        assertEquals(8, s.made());
        assertEquals(0, s.alreadyHad());
        Map<String, byte[]> a = tree(tmp.resolve("a"));
        Map<String, byte[]> b = tree(tmp.resolve("b"));
        Map<String, byte[]> c = tree(tmp.resolve("c"));
        assertEquals(18, a.size(), "8 pictures + 8 pieces + 2 manifests: " + a.keySet());
        assertEquals(a.keySet(), b.keySet());
        for (String f : a.keySet()) {
            assertArrayEquals(a.get(f), b.get(f), f);
        }
        Set<String> shared = new HashSet<>(a.keySet());
        shared.retainAll(c.keySet());
        assertEquals(
                Set.of("images/manifest.jsonl", "audio/manifest.jsonl"),
                shared,
                "another seed makes other files");
    }

    @Test
    void rerunSkipsWhatIsThereAndALargerCountOnlyAddsTheMissingItems(@TempDir Path tmp)
            throws Exception {
        Path out = tmp.resolve("out");
        new SyntheticCorpus(TINY).write(out, CollectListener.NONE);
        List<String> before = Files.readAllLines(out.resolve("audio/manifest.jsonl"));

        SyntheticCorpus.Summary again = new SyntheticCorpus(TINY).write(out, CollectListener.NONE);
        assertEquals(0, again.made());
        assertEquals(8, again.alreadyHad());

        List<String> steps = new ArrayList<>();
        SyntheticCorpus.Summary more =
                new SyntheticCorpus(TINY.withPerMood(3))
                        .write(
                                out,
                                new CollectListener() {
                                    @Override
                                    public void progress(String label, int kept) {
                                        steps.add(label + ":" + kept);
                                    }
                                });
        assertEquals(4, more.made());
        assertEquals(List.of("calm:3", "energetic:3", "gloomy:3", "bright:3"), steps);
        List<String> after = Files.readAllLines(out.resolve("audio/manifest.jsonl"));
        assertEquals(before, after.subList(0, before.size()));
        assertEquals(12, after.size());

        // Resumed or made in one go: the same files.
        Path fresh = tmp.resolve("fresh");
        new SyntheticCorpus(TINY.withPerMood(3)).write(fresh, CollectListener.NONE);
        Map<String, byte[]> x = tree(out);
        Map<String, byte[]> y = tree(fresh);
        assertEquals(x.keySet(), y.keySet());
        for (String f : x.keySet()) {
            if (!f.endsWith(Manifest.FILE_NAME)) {
                assertArrayEquals(x.get(f), y.get(f), f);
            }
        }
        assertFalseTmpLeft(out);
    }

    @Test
    void rootsAreReadUnchangedByTheImportersAndBuildDataset(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("corpus");
        new SyntheticCorpus(TINY).write(out, CollectListener.NONE);
        Path images = out.resolve("images");
        Path audio = out.resolve("audio");

        for (Path root : List.of(images, audio)) {
            List<MediaRecord> records = new Manifest(root).readAll();
            assertEquals(8, records.size());
            for (MediaRecord r : records) {
                assertEquals(MediaRecord.SYNTH, r.source());
                assertEquals(r.labels().get(0), r.query());
                assertTrue(r.title().contains("="), r.title());
                assertTrue(r.sourceUrl().startsWith("synth:" + r.labels().get(0) + "/"));
                assertNull(r.fetchedAt());
                assertTrue(Files.isRegularFile(root.resolve(r.path())));
            }
            Map<String, List<Path>> folders = LabelFolders.read(root, Set.of(), n -> {});
            assertEquals(Set.copyOf(MoodProfile.BUILT_IN), folders.keySet());
            folders.values().forEach(files -> assertEquals(2, files.size()));
        }
        MediaRecord picture = new Manifest(images).readAll().get(0);
        assertEquals(64, picture.width());
        assertEquals(64, ImageIO.read(images.resolve(picture.path()).toFile()).getHeight());
        assertTrue(picture.phash() != null && picture.path().endsWith(".png"));
        MediaRecord piece = new Manifest(audio).readAll().get(0);
        assertEquals(3.0, piece.durationS());
        assertTrue(piece.path().endsWith(".wav"));

        // The importers take the roots as label folders and keep every file.
        CollectSummary importedImages =
                new ImageImporter(ImageParams.DEFAULTS, 6, false, Clock.systemUTC())
                        .run(
                                images,
                                tmp.resolve("imported-images"),
                                Set.of(),
                                CollectListener.NONE);
        assertEquals(8, importedImages.total(CollectSummary.Counts::kept));
        CollectSummary importedAudio =
                new AudioImporter(new AudioCheck(1, 60), false, Clock.systemUTC())
                        .run(audio, tmp.resolve("imported-audio"), Set.of(), CollectListener.NONE);
        assertEquals(8, importedAudio.total(CollectSummary.Counts::kept));

        // build-dataset reads the audio root through its manifest: tiles and captions per mood.
        DatasetParams p = new DatasetParams(1.0, 64, -60, 44100, 441).withMelBins(64);
        SpectrogramParams sp = p.spectrogramParams(SpectrogramParams.defaults());
        Path set = tmp.resolve("dataset");
        DatasetBuilder.Summary built =
                new DatasetBuilder(p, new SpectrogramTileRenderer(sp), sp, 2)
                        .build(AudioSources.scan(audio), set, new DatasetBuilder.Listener() {});
        assertEquals(0, built.failedFiles(), built.failures().toString());
        assertEquals(0, built.silentSegments());
        assertEquals(8 * 3 * 2, built.images()); // 3 one-second segments x 2 tiles per piece
        List<String> csv = Files.readAllLines(set.resolve("metadata.csv"));
        assertEquals("file_name,text", csv.get(0));
        assertEquals(built.images() + 1, csv.size());
        for (String mood : MoodProfile.BUILT_IN) {
            assertEquals(12, csv.stream().filter(l -> l.endsWith("," + mood)).count(), mood);
        }
        String tile = csv.get(1).split(",")[0];
        assertEquals(64, ImageIO.read(set.resolve(tile).toFile()).getHeight());
    }

    @Test
    void piecesAreNonSilentThroughoutAndExactlyTheAskedLength(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("corpus");
        new SyntheticCorpus(TINY).write(out, CollectListener.NONE);
        for (MediaRecord r : new Manifest(out.resolve("audio")).readAll()) {
            Audio a = WavReader.read(out.resolve("audio").resolve(r.path()));
            assertEquals(44100, a.sampleRate(), r.path());
            assertEquals(3 * 44100, a.frames(), r.path());
            for (int s = 0; s < 3; s++) {
                double db = a.slice(s * 44100, 44100).rmsDbfs();
                assertTrue(db > -45, r.path() + " second " + s + " at " + db + " dBFS");
            }
        }
    }

    @Test
    void aMissingOrBrokenSoundfontIsAnErrorNamingTheFile(@TempDir Path tmp) throws Exception {
        Path missing = tmp.resolve("none.sf2");
        IOException e1 =
                assertThrows(
                        IOException.class,
                        () ->
                                new SyntheticCorpus(TINY.withSoundfont(missing))
                                        .write(tmp.resolve("o"), CollectListener.NONE));
        assertTrue(e1.getMessage().contains("none.sf2"), e1.getMessage());
        Path broken = Files.writeString(tmp.resolve("broken.sf2"), "not a soundfont");
        IOException e2 =
                assertThrows(
                        IOException.class,
                        () ->
                                new SyntheticCorpus(TINY.withSoundfont(broken))
                                        .write(tmp.resolve("o"), CollectListener.NONE));
        assertTrue(e2.getMessage().startsWith(broken.toString()), e2.getMessage());
        assertNotEquals(null, e2.getMessage());
    }

    private static void assertFalseTmpLeft(Path out) throws IOException {
        try (Stream<Path> s = Files.walk(out)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".")));
        }
    }

    /** Every file under {@code root} by relative path. */
    static Map<String, byte[]> tree(Path root) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
        return m;
    }
}
