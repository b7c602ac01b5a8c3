package image2music.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.audio.Audio;
import image2music.audio.io.WavReader;
import image2music.audio.io.WavWriter;
import image2music.pipeline.progress.Cancellation;
import image2music.pipeline.progress.CancelledException;
import image2music.pipeline.progress.ProgressEvent;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each use case in a few lines of plain Java, on tiny random models: what a front end (the CLI, a
 * web server) does, without picocli.
 */
class UseCasesTest {

    /** Tiny-model settings: 64-px clips, two denoising steps. */
    private static final DiffusionSettings TINY =
            DiffusionSettings.defaults().withSteps(2).withWidth(64);

    @TempDir static Path shared;
    private static Path generator;

    @TempDir Path dir;

    @BeforeAll
    static void tinyGenerator() throws IOException {
        generator = TinyModels.generator(shared.resolve("generator"));
    }

    @Test
    void textToMusicWritesTheClipWithItsSidecarAndReportsEachStep() throws IOException {
        List<ProgressEvent> events = new ArrayList<>();
        Path out = dir.resolve("calm.wav");
        TextToMusicRequest request =
                new TextToMusicRequest(
                        "calm piano", MusicSettings.of(generator, 7, out).withDiffusion(TINY));

        GenerationResult result =
                new TextToMusicService(events::add, new Cancellation()).run(request);

        assertEquals(out.toAbsolutePath(), result.wav());
        assertTrue(Files.isRegularFile(dir.resolve("calm.png")));
        assertEquals("calm piano", result.outputs().get(0).sidecar().get("prompt").getAsString());
        assertEquals(new ProgressEvent.Started(1, "image"), events.get(0));
        // The clip is done after its last step (the model's scheduler decides how many run).
        int done = events.indexOf(new ProgressEvent.ClipDone(0));
        ProgressEvent.Step last = (ProgressEvent.Step) events.get(done - 1);
        assertEquals(last.steps(), last.step());
        // Counted as asked (2), not as evaluated: PNDM's warm-up step is not a step of its own.
        assertEquals(2, last.steps());
        assertEquals(
                2,
                events.stream()
                        .filter(e -> e instanceof ProgressEvent.Step s && s.step() > 0)
                        .count());
        assertEquals(new ProgressEvent.Finished(), events.get(events.size() - 1));
    }

    @Test
    void aCancelledLongPieceWritesNoResultAndTheRerunFinishesIt() throws IOException {
        Path out = dir.resolve("long.wav");
        MusicSettings settings =
                MusicSettings.of(generator, 3, out).withDiffusion(TINY).withSeconds(2, null);
        Cancellation cancel = new Cancellation();
        TextToMusicService service =
                new TextToMusicService(
                        e -> {
                            if (e instanceof ProgressEvent.ClipDone d && d.clip() == 1) {
                                cancel.cancel();
                            }
                        },
                        cancel);

        assertThrows(
                CancelledException.class,
                () -> service.run(new TextToMusicRequest("calm piano", settings)));
        assertFalse(Files.exists(out));
        assertTrue(Files.isRegularFile(dir.resolve("long.clips/clip-001.png")));

        List<ProgressEvent> events = new ArrayList<>();
        new TextToMusicService(events::add, new Cancellation())
                .run(new TextToMusicRequest("calm piano", settings));
        assertTrue(
                events.contains(
                        new ProgressEvent.Resumed(
                                out.toAbsolutePath(),
                                2,
                                4,
                                dir.resolve("long.clips").toAbsolutePath())),
                events.toString());
        assertEquals(2.0, WavReader.read(out).durationSeconds(), 0.01);
        assertFalse(Files.exists(dir.resolve("long.clips")));
    }

    @Test
    void imageToMusicIsTextToMusicWithTheTagsPrompt() throws IOException {
        Path tagger = TinyModels.tagger(dir.resolve("tagger"), List.of("calm", "gloomy"));
        Path picture = dir.resolve("sunset.png");
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        img.setRGB(5, 5, Color.ORANGE.getRGB());
        ImageIO.write(img, "png", picture.toFile());

        MusicSettings music =
                MusicSettings.of(generator, 11, dir.resolve("i.wav")).withDiffusion(TINY);
        List<ProgressEvent> events = new ArrayList<>();
        new ImageToMusicService(events::add, new Cancellation())
                .run(ImageToMusicRequest.of(tagger, picture, music));

        String prompt =
                events.stream()
                        .filter(e -> e instanceof ProgressEvent.Tagged)
                        .map(e -> ((ProgressEvent.Tagged) e).tags().prompt())
                        .findFirst()
                        .orElseThrow();
        MusicSettings same =
                MusicSettings.of(generator, 11, dir.resolve("t.wav")).withDiffusion(TINY);
        new TextToMusicService().run(new TextToMusicRequest(prompt, same));
        assertArrayEquals(
                Files.readAllBytes(dir.resolve("t.wav")), Files.readAllBytes(dir.resolve("i.wav")));
    }

    @Test
    void audioToAudioKeepsTheInputsLength() throws IOException {
        Path input = dir.resolve("in.wav");
        float[] samples = new float[44100];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / 44100.0));
        }
        WavWriter.write(input, Audio.mono(samples, 44100));

        Path out = dir.resolve("restyled.wav");
        new AudioToAudioService()
                .run(
                        AudioToAudioRequest.of(generator, input, "gloomy", 5, out)
                                .withDiffusion(TINY));

        assertEquals(1.0, WavReader.read(out).durationSeconds(), 0.011);
    }

    @Test
    void interpolationWritesItsClipsAndThePieceAndARerunKeepsTheClips() throws IOException {
        Path out = dir.resolve("morph");
        // 64-px clips (0.63 s) cross-faded over 0.2 s.
        InterpolateRequest request =
                new InterpolateRequest(
                        generator,
                        InterpolateRequest.endpoint("from", "calm", 1, 7.0, 0.75),
                        InterpolateRequest.endpoint("to", "tense", 2, 7.0, 0.75),
                        1,
                        null,
                        null,
                        null,
                        0.2,
                        TINY,
                        out);

        GenerationResult first = new InterpolationService().run(request);
        assertEquals(4, first.outputs().size());
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(12, files.count());
        }

        List<ProgressEvent> events = new ArrayList<>();
        GenerationResult again =
                new InterpolationService(events::add, new Cancellation()).run(request);
        assertEquals(1, again.outputs().size(), "only the joined piece is written again");
        assertEquals(
                3,
                events.stream()
                        .filter(e -> e instanceof ProgressEvent.Written w && w.reused())
                        .count());
    }
}
