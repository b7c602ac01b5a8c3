package image2music.pipeline.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import image2music.audio.dataset.MetadataCsv;
import image2music.audio.spectrogram.SpectrogramFormatFile;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.pipeline.DiffusionSettings;
import image2music.pipeline.TinyModels;
import image2music.pipeline.progress.Cancellation;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation on constructed data: three "moods" whose spectrograms are a bright band at a
 * mood's own height over noise, so a classifier can tell them apart from any window, and a random
 * tiny generator.
 */
public class EvaluationServiceTest {

    static final List<String> MOODS = List.of("high", "low", "mid");
    public static final int HEIGHT = 32;

    @TempDir static Path shared;
    static Path generator;

    @BeforeAll
    static void setUp() throws IOException {
        generator = TinyModels.generator(shared.resolve("generator"));
        SpectrogramFormatFile.write(
                generator, SpectrogramParams.defaults().withNumFrequencies(HEIGHT));
    }

    @Test
    void separableMoodsAreClassifiedAndEveryFigureIsWritten(@TempDir Path dir) throws IOException {
        Path data = dataset(dir.resolve("data"), false);
        List<String> log = new ArrayList<>();
        EvaluationService service = new EvaluationService(log::add, new Cancellation());
        EvaluationRequest request = request(data, dir.resolve("work"));
        Evaluation e = service.run(request);

        assertEquals(MOODS, e.classes());
        assertEquals(64, e.windowPixels(), "the tiny generator's native width");
        assertEquals(128, e.clipPixels(), "as long as a tile: two windows");
        assertEquals(3 * 2 * 2, e.heldOutClips(), "each tile of 2 held-out pieces per mood");
        assertTrue(e.classifierAccuracy() >= 0.9, "ceiling " + e.classifierAccuracy());
        assertEquals(MOODS.size(), e.clips().size());
        for (List<Path> pngs : e.clips().values()) {
            for (Path png : pngs) {
                assertTrue(ImageIO.read(png.toFile()).getWidth() >= 128, png + ": a whole clip");
            }
        }
        assertTrue(e.cas() >= 0 && e.cas() <= 1);
        assertTrue(e.frechet() >= 0 && Double.isFinite(e.frechet()));
        assertTrue(e.frechetReference() >= 0 && Double.isFinite(e.frechetReference()));
        assertTrue(e.diversityGenerated() >= 0 && e.diversityReal() > 0);

        Path json = dir.resolve("evaluation.json");
        EvaluationService.write(e, json);
        JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals(e.cas(), o.get("cas").getAsDouble(), 1e-12);
        // The interval of the share over every generated clip, around it.
        WilsonInterval cas = WilsonInterval.of(e.cas(), e.generatedClips());
        assertEquals(cas.low(), o.getAsJsonArray("cas_ci95").get(0).getAsDouble(), 1e-12);
        assertEquals(cas.high(), o.getAsJsonArray("cas_ci95").get(1).getAsDouble(), 1e-12);
        assertTrue(cas.low() <= e.cas() && e.cas() <= cas.high(), cas.toString());
        assertEquals(e.clips().values().stream().mapToInt(List::size).sum(), e.generatedClips());
        assertTrue(o.has("classifier_accuracy_ci95"));
        assertTrue(e.table().contains("CAS") && e.table().contains("(95 %: "), e.table());
        assertTrue(
                o.getAsJsonObject("clips")
                        .getAsJsonArray("high")
                        .get(0)
                        .getAsString()
                        .startsWith("work/clips/"));

        // A rerun reuses the classifier and the clips.
        log.clear();
        Evaluation again = service.run(request);
        assertTrue(log.stream().anyMatch(l -> l.contains("classifier: kept")), log.toString());
        assertEquals(
                MOODS.size(),
                log.stream().filter(l -> l.contains("clips kept from an earlier run")).count(),
                log.toString());
        assertEquals(e.cas(), again.cas());
        assertEquals(e.classifierAccuracy(), again.classifierAccuracy());

        // Other generation settings (here the guidance) make the clips anew instead of scoring the
        // old ones.
        log.clear();
        service.run(
                new EvaluationRequest(
                        generator, data, null, 300, 2, 2, 3.0, 7, dir.resolve("work"), List.of()));
        assertEquals(
                MOODS.size(),
                log.stream().filter(l -> l.contains("clips generated")).count(),
                log.toString());
    }

    @Test
    void shuffledLabelsLeaveTheClassifierAtChance(@TempDir Path dir) throws IOException {
        Path data = dataset(dir.resolve("data"), true);
        Evaluation e =
                new EvaluationService(l -> {}, new Cancellation())
                        .run(request(data, dir.resolve("work")));
        assertTrue(e.classifierAccuracy() <= 0.7, "ceiling " + e.classifierAccuracy());
    }

    @Test
    void refusesAMoodWithTooFewPieces(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        List<MetadataCsv.Row> rows = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(1);
        for (int m = 0; m < 2; m++) {
            for (int p = 0; p < (m == 0 ? 2 : 4); p++) {
                String name = "p" + m + p + "_000_00.png";
                ImageIO.write(tile(m, r), "png", data.resolve(name).toFile());
                rows.add(new MetadataCsv.Row(name, MOODS.get(m)));
            }
        }
        MetadataCsv.write(data.resolve(MetadataCsv.FILE_NAME), rows);
        IOException e =
                assertThrows(
                        IOException.class,
                        () ->
                                new EvaluationService(l -> {}, new Cancellation())
                                        .run(request(data, dir.resolve("work"))));
        assertTrue(e.getMessage().contains("'high'"), e.getMessage());
    }

    @Test
    void pictureMusicHasOneSeedPerPictureAndIsMadeAnewForOtherSettings(@TempDir Path dir)
            throws IOException {
        Path tagger = TinyModels.tagger(dir.resolve("tagger"), MOODS);
        Path pictures = dir.resolve("pictures");
        Files.createDirectories(pictures.resolve("high"));
        SplittableRandom r = new SplittableRandom(5);
        for (String name : List.of("a.png", "b.png")) {
            ImageIO.write(tile(0, r), "png", pictures.resolve("high").resolve(name).toFile());
        }
        List<String> log = new ArrayList<>();
        EvaluationService service = new EvaluationService(log::add, new Cancellation());
        Path work = dir.resolve("work");
        List<EvaluationRequest.PictureMusic> music =
                service.musicForPictures(tagger, pictures, generator, 0.5, 2, 7.0, 7, work);
        assertEquals(2, music.size());
        List<Long> seeds = new ArrayList<>();
        for (EvaluationRequest.PictureMusic m : music) {
            Path json =
                    m.spectrogram()
                            .resolveSibling(
                                    m.spectrogram()
                                            .getFileName()
                                            .toString()
                                            .replace(".png", ".json"));
            seeds.add(
                    JsonParser.parseString(Files.readString(json))
                            .getAsJsonObject()
                            .get("seed")
                            .getAsLong());
        }
        assertEquals(List.of(7L, 8L), seeds, "one seed per picture, so alike pictures differ");

        log.clear();
        service.musicForPictures(tagger, pictures, generator, 0.5, 2, 7.0, 7, work);
        assertTrue(log.stream().noneMatch(l -> l.contains("music made")), log.toString());
        service.musicForPictures(tagger, pictures, generator, 0.5, 3, 7.0, 7, work);
        assertEquals(2, log.stream().filter(l -> l.contains("music made")).count(), log.toString());
        log.clear();
        service.musicForPictures(tagger, pictures, generator, 0.5, 3, 2.0, 7, work);
        assertEquals(2, log.stream().filter(l -> l.contains("music made")).count(), log.toString());
    }

    @Test
    void aPieceNeverLandsOnBothSides() {
        assertEquals("abc", EvaluationService.piece(Path.of("x/abc_000_01.png")));
        assertEquals("plain.png", EvaluationService.piece(Path.of("plain.png")));
    }

    private static EvaluationRequest request(Path data, Path work) {
        return new EvaluationRequest(
                generator,
                data,
                null,
                300,
                2,
                2,
                DiffusionSettings.DEFAULT_GUIDANCE,
                7,
                work,
                List.of());
    }

    /**
     * Four pieces per mood of two tiles each, named as build-dataset names them; with {@code
     * shuffled}, each piece's caption is drawn at random instead of being its band's mood.
     */
    public static Path dataset(Path dir, boolean shuffled) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom r = new SplittableRandom(11);
        List<MetadataCsv.Row> rows = new ArrayList<>();
        for (int m = 0; m < MOODS.size(); m++) {
            for (int p = 0; p < 4; p++) {
                String caption = MOODS.get(shuffled ? r.nextInt(MOODS.size()) : m);
                for (int t = 0; t < 2; t++) {
                    String name = String.format("m%dp%d_000_%02d.png", m, p, t);
                    ImageIO.write(tile(m, r), "png", dir.resolve(name).toFile());
                    rows.add(new MetadataCsv.Row(name, caption));
                }
            }
        }
        MetadataCsv.write(dir.resolve(MetadataCsv.FILE_NAME), rows);
        return dir;
    }

    /** 128 × 32 px of noise with a bright band in the rows of mood {@code m}. */
    static BufferedImage tile(int m, SplittableRandom r) {
        BufferedImage img = new BufferedImage(128, HEIGHT, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < HEIGHT; y++) {
            boolean band = y / (HEIGHT / MOODS.size()) == m;
            for (int x = 0; x < 128; x++) {
                int v = (band ? 180 : 20) + r.nextInt(60);
                img.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        return img;
    }
}
