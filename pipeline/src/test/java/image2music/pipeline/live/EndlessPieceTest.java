package image2music.pipeline.live;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import image2music.audio.longform.ClipPlan;
import image2music.models.diffusion.longform.ClipStore;
import image2music.models.diffusion.longform.LongformGenerator;
import image2music.models.diffusion.pipeline.GenerationRequest;
import image2music.models.diffusion.pipeline.PipelineFolder;
import image2music.models.diffusion.pipeline.StableDiffusionPipeline;
import image2music.models.nn.Engines;
import image2music.pipeline.InvalidRequestException;
import image2music.pipeline.TinyModels;
import image2music.pipeline.progress.Cancellation;
import image2music.pipeline.progress.CancelledException;
import image2music.pipeline.progress.ProgressListener;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pieces made clip by clip on tiny random models. */
class EndlessPieceTest {

    private static final int WIDTH = 64;
    private static final int STEPS = 2;

    @TempDir static Path shared;
    private static Path generator;
    private static LiveGenerator live;

    @BeforeAll
    static void tinyModels() throws IOException {
        generator = TinyModels.generator(shared.resolve("generator"));
        live =
                LiveGenerator.open(
                        TinyModels.tagger(shared.resolve("tagger"), List.of("calm", "gloomy")),
                        generator);
    }

    @AfterAll
    static void close() {
        live.close();
    }

    private static List<PieceClip> play(long seed, List<String> prompts) {
        List<PieceClip> clips = new ArrayList<>();
        try (EndlessPiece piece = live.startPiece(prompts.get(0), seed, STEPS, 7, WIDTH, null, 2)) {
            for (String p : prompts) {
                clips.add(live.next(piece, p, ProgressListener.NONE, new Cancellation()));
            }
        }
        return clips;
    }

    @Test
    void clipsAreTheClipsOfTheSameLongPiece() throws IOException {
        List<PieceClip> endless = play(11, List.of("calm", "calm", "calm"));
        List<BufferedImage> longform = new ArrayList<>();
        try (NDManager m = Engines.newManager();
                StableDiffusionPipeline p = PipelineFolder.load(generator, m)) {
            int overlap = WIDTH / 4;
            int total = WIDTH + 2 * (WIDTH - overlap);
            var request =
                    new GenerationRequest(
                            "calm",
                            "",
                            7,
                            STEPS,
                            11,
                            WIDTH,
                            live.params().numFrequencies(),
                            null,
                            1);
            new LongformGenerator(p, live.params())
                    .generate(
                            request,
                            new ClipPlan(total, WIDTH, overlap),
                            new ClipStore() {
                                @Override
                                public Clip load(int clip, NDManager manager) {
                                    return null;
                                }

                                @Override
                                public void save(int clip, BufferedImage image, NDArray latents) {
                                    longform.add(image);
                                }
                            },
                            (i, s, n) -> {},
                            m);
        }
        assertEquals(3, longform.size());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(pixels(longform.get(i)), pixels(endless.get(i).image()), "clip " + i);
            assertEquals(LongformGenerator.clipSeed(11, i), endless.get(i).seed());
        }
    }

    @Test
    void streamIsContinuousAndAsLongAsThePiece() {
        List<PieceClip> clips = play(5, List.of("calm", "calm", "calm"));
        int hop = live.params().hopLength();
        int overlap = WIDTH / 4;
        int stride = WIDTH - overlap;
        int f = 8;
        int carried = overlap / f / 2 * f;
        assertEquals((stride + carried) * hop, clips.get(0).stream().frames());
        for (int i = 1; i < 3; i++) {
            assertEquals(stride * hop, clips.get(i).stream().frames(), "stretch " + i);
        }
        // The same seed makes the same stream.
        List<PieceClip> again = play(5, List.of("calm", "calm", "calm"));
        assertArrayEquals(clips.get(2).stream().channel(0), again.get(2).stream().channel(0));
        for (PieceClip c : clips) {
            for (float v : c.stream().channel(0)) {
                assertTrue(Math.abs(v) < 1f, "sample within full scale");
            }
        }
    }

    @Test
    void aStretchOfSecondsThenOneMoreClip() {
        int sr = live.params().sampleRate();
        int hop = live.params().hopLength();
        int stride = WIDTH - WIDTH / 4;
        try (EndlessPiece piece = live.startPiece("calm", 9, STEPS, 7, WIDTH, null, 2)) {
            double seconds = 1.5;
            PieceResult first =
                    live.play(piece, null, seconds, ProgressListener.NONE, new Cancellation());
            int n = first.clips().size();
            // Just enough clips: one fewer would be shorter than asked.
            assertTrue((WIDTH + (n - 1) * stride - 1) * hop >= seconds * sr);
            assertTrue((WIDTH + (n - 2) * stride - 1) * hop < seconds * sr);
            assertEquals(Math.round(seconds * sr), first.audio().frames());
            assertEquals(WIDTH + (n - 1) * stride, first.image().getWidth());
            // The stretch and the ending are the whole piece, sample for sample.
            assertEquals(
                    (WIDTH + (n - 1) * stride - 1) * hop,
                    first.stream().frames() + piece.ending().frames());
            PieceResult more =
                    live.play(piece, "gloomy", null, ProgressListener.NONE, new Cancellation());
            assertEquals(1, more.clips().size());
            assertEquals(n, more.clips().get(0).index());
            assertEquals(stride * hop, more.stream().frames());
            assertEquals(WIDTH, more.image().getWidth());
            assertThrows(
                    InvalidRequestException.class,
                    () -> live.play(piece, null, -1.0, ProgressListener.NONE, new Cancellation()));
        }
    }

    @Test
    void aNewPromptIsReachedOverTheMorphClips() {
        List<PieceClip> clips = play(3, List.of("calm", "gloomy", "gloomy", "gloomy"));
        assertEquals(1.0, clips.get(0).morph());
        assertEquals(0.5, clips.get(1).morph());
        assertEquals(1.0, clips.get(2).morph());
        assertEquals(1.0, clips.get(3).morph());
        assertEquals("gloomy", clips.get(1).prompt());
        // The clip made halfway differs from the one the old prompt would have made.
        List<PieceClip> same = play(3, List.of("calm", "calm"));
        assertTrue(
                !java.util.Arrays.equals(
                        pixels(same.get(1).image()), pixels(clips.get(1).image())));
        assertArrayEquals(pixels(same.get(0).image()), pixels(clips.get(0).image()));
    }

    @Test
    void aPieceMadeInAnotherThreadRecordsNoAutogradGraph() throws Exception {
        // libtorch records gradients by default in every thread but the one that started DJL:
        // a server's worker thread would keep every intermediate tensor alive.
        java.util.concurrent.atomic.AtomicBoolean recording =
                new java.util.concurrent.atomic.AtomicBoolean();
        Thread worker =
                new Thread(
                        () -> {
                            try (EndlessPiece piece =
                                    live.startPiece("calm", 2, STEPS, 7, WIDTH, null, 1)) {
                                live.play(
                                        piece,
                                        null,
                                        null,
                                        e ->
                                                recording.compareAndSet(
                                                        false,
                                                        ai.djl.pytorch.jni.JniUtils.isGradMode()),
                                        new Cancellation());
                            }
                        });
        worker.start();
        worker.join();
        assertTrue(!recording.get(), "grad mode was on while generating");
    }

    @Test
    void cancelledBetweenStepsAndBadSettingsRefused() {
        Cancellation c = new Cancellation();
        c.cancel();
        try (EndlessPiece piece = live.startPiece("calm", 1, STEPS, 7, WIDTH, null, 1)) {
            assertThrows(
                    CancelledException.class,
                    () -> live.next(piece, null, ProgressListener.NONE, c));
            assertEquals(0, piece.clips());
        }
        assertThrows(
                InvalidRequestException.class,
                () -> live.startPiece("calm", 1, STEPS, 7, 60, null, 1));
        assertThrows(InvalidRequestException.class, () -> live.prompt(List.of("sunny")));
        assertEquals("calm, gloomy", live.prompt(List.of("calm", "gloomy")));
    }

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }
}
