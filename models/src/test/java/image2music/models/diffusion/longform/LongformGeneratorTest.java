package image2music.models.diffusion.longform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import com.google.gson.JsonObject;
import image2music.audio.SyntheticMusic;
import image2music.audio.longform.ClipPlan;
import image2music.audio.longform.SeamMetrics;
import image2music.audio.longform.SeamReport;
import image2music.audio.spectrogram.Spectrogram;
import image2music.audio.spectrogram.SpectrogramConverter;
import image2music.audio.spectrogram.SpectrogramImage;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.models.diffusion.guidance.InpaintMask;
import image2music.models.diffusion.guidance.Strength;
import image2music.models.diffusion.pipeline.GenerationProgress;
import image2music.models.diffusion.pipeline.GenerationRequest;
import image2music.models.diffusion.pipeline.StableDiffusionPipeline;
import image2music.models.diffusion.pipeline.TinyPipelines;
import image2music.models.nn.Engines;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long-form generation and audio-to-audio with a tiny random pipeline on 64-bin spectrograms: 64-px
 * clips sharing 16 px (two latent columns).
 */
class LongformGeneratorTest {

    /** Riffusion's format with 64 mel bins, so images are 64 px tall. */
    static final SpectrogramParams PARAMS =
            new SpectrogramParams(false, 44100, 10, 100, 400, 64, 0, 10000, 0.25, 16);

    static final int WIDTH = 64;
    static final int OVERLAP = 16;
    static final double SECONDS = 2.0;

    /** Frames either side of a join's middle that count as the join. */
    static final int JOIN_RADIUS = 1;

    private static NDManager manager;
    private static StableDiffusionPipeline pipeline;
    private static LongformGenerator generator;
    private static BufferedImage music;

    @BeforeAll
    static void build() {
        manager = Engines.newManager();
        pipeline = TinyPipelines.random(3, manager);
        generator = new LongformGenerator(pipeline, PARAMS);
        Spectrogram s =
                new SpectrogramConverter(PARAMS)
                        .spectrogramFromAudio(SyntheticMusic.clip(SECONDS, 44100, 5));
        music = SpectrogramImage.fromSpectrogram(s);
    }

    @AfterAll
    static void close() {
        pipeline.close();
        manager.close();
    }

    static GenerationRequest request(long seed) {
        return new GenerationRequest("calm piano", "", 3.0, 3, seed, WIDTH, 64, "ddim", 1);
    }

    /** Told each clip's final image and latents as the generator finishes it. */
    private interface ClipSink {
        void clipDone(int clip, BufferedImage image, NDArray latents);
    }

    /** A store that keeps nothing and tells {@code sink} each finished clip. */
    private static ClipStore finished(ClipSink sink) {
        return new ClipStore() {
            @Override
            public Clip load(int clip, NDManager m) {
                return null;
            }

            @Override
            public void save(int clip, BufferedImage image, NDArray latents) {
                sink.clipDone(clip, image, latents);
            }
        };
    }

    static ClipPlan plan(int overlap) {
        return ClipPlan.forSeconds(SECONDS, WIDTH, overlap, PARAMS);
    }

    @Test
    void generatesThePlannedLengthAndCarriesTheOverlapLatentsIntoTheNextClip() {
        ClipPlan plan = plan(OVERLAP);
        List<float[][]> heads = new ArrayList<>();
        List<float[][]> tails = new ArrayList<>();
        List<int[]> progress = new ArrayList<>();
        LongformResult r =
                generator.generate(
                        request(11),
                        plan,
                        finished(
                                (clip, image, latents) -> {
                                    // 16 px shared = 2 latent columns, from column 6 of 8: the
                                    // first is pinned in the next clip.
                                    heads.add(columns(latents, 0, 1));
                                    tails.add(columns(latents, 6, 7));
                                }),
                        (clip, step, steps) -> progress.add(new int[] {clip, step, steps}),
                        manager);
        assertEquals(201, plan.totalFrames());
        assertEquals(4, plan.clipCount());
        assertEquals(201, r.image().getWidth());
        assertEquals(64, r.image().getHeight());
        assertEquals(201, r.spectrogram().frames());
        assertEquals(SECONDS * 44100, plan.samples(PARAMS), 441);
        for (int i = 1; i < plan.clipCount(); i++) {
            assertEquals(LongformGenerator.clipSeed(11, i), r.clipSeeds()[i]);
            assertTrue(Arrays.deepEquals(tails.get(i - 1), heads.get(i)), "clip " + i);
            assertFalse(Arrays.deepEquals(tails.get(i), heads.get(i)), "clip " + i);
        }
        assertEquals(11, r.clipSeeds()[0]);
        // Progress: 3 steps for each of the 4 clips, in order.
        assertEquals(12, progress.size());
        assertArrayEquals(new int[] {3, 3, 3}, progress.get(11));
    }

    @Test
    void anInterruptedPieceResumesFromItsKeptClipsAndComesOutTheSame(@TempDir Path dir)
            throws IOException {
        ClipPlan plan = plan(OVERLAP);
        JsonObject recipe = new JsonObject();
        recipe.addProperty("seed", 6);
        LongformResult whole =
                generator.generate(request(6), plan, GenerationProgress.NONE, manager);
        ClipFolder folder = ClipFolder.open(dir.resolve("parts"), recipe);
        generator.generate(request(6), plan, folder, GenerationProgress.NONE, manager);
        assertEquals(plan.clipCount(), folder.finished());
        // As if the run had stopped during clip 2: its files and the later ones are missing.
        for (int i = 2; i < plan.clipCount(); i++) {
            Files.delete(dir.resolve(String.format("parts/clip-%03d.png", i)));
        }
        ClipFolder again = ClipFolder.open(dir.resolve("parts"), recipe);
        assertEquals(2, again.finished());
        List<Integer> denoised = new ArrayList<>();
        LongformResult resumed =
                generator.generate(
                        request(6),
                        plan,
                        again,
                        (clip, step, steps) -> {
                            if (steps > 1 && step == steps) {
                                denoised.add(clip);
                            }
                        },
                        manager);
        assertEquals(List.of(2, 3), denoised);
        assertArrayEquals(pixels(whole), pixels(resumed));
        // Another recipe: the kept clips belong to another piece and are dropped.
        recipe.addProperty("seed", 7);
        assertEquals(0, ClipFolder.open(dir.resolve("parts"), recipe).finished());
    }

    @Test
    void sameSeedSamePieceOtherSeedOtherPiece() {
        ClipPlan plan = ClipPlan.forSeconds(1.2, WIDTH, OVERLAP, PARAMS);
        int[] a = pixels(generator.generate(request(4), plan, GenerationProgress.NONE, manager));
        int[] b = pixels(generator.generate(request(4), plan, GenerationProgress.NONE, manager));
        int[] c = pixels(generator.generate(request(5), plan, GenerationProgress.NONE, manager));
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
    }

    @Test
    void aPieceShorterThanAClipIsTheClipCut() {
        ClipPlan plan = ClipPlan.forSeconds(0.4, WIDTH, OVERLAP, PARAMS);
        LongformResult r = generator.generate(request(4), plan, GenerationProgress.NONE, manager);
        assertEquals(41, r.image().getWidth());
        assertEquals(1, r.clipSeeds().length);
    }

    /**
     * The loop measure: the piece does not repeat at the clip stride, whereas its first
     * stride tiled over the same length does. (A bug giving every clip the same noise would make
     * such a tiling.)
     */
    @Test
    void generatedPieceIsNotALoopButItsFirstStrideTiledIs() {
        LongformResult piece =
                generator.generate(request(21), plan(OVERLAP), GenerationProgress.NONE, manager);
        int stride = piece.plan().stride();
        double ours = SeamMetrics.autocorrelation(piece.spectrogram(), stride);
        float[][][] data = piece.spectrogram().data();
        float[][][] tiled = new float[1][data[0].length][piece.spectrogram().frames()];
        for (int m = 0; m < data[0].length; m++) {
            for (int t = 0; t < tiled[0][m].length; t++) {
                tiled[0][m][t] = data[0][m][t % stride];
            }
        }
        double loop = SeamMetrics.autocorrelation(new Spectrogram(tiled, PARAMS), stride);
        assertTrue(ours < 0.5, "piece " + ours);
        assertTrue(loop > 0.99, "tiled " + loop);
    }

    /**
     * The seam measure on generated pieces: no join's spectral flux exceeds the piece's
     * typical (95th-percentile) flux. A random model's clips are noise-like textures, so the same
     * clips are also joined by a hard cut where the pinned columns end, to show the check is one a
     * join can fail: over the seeds, the hard cuts must score worse than ours.
     */
    @Test
    void generatedJoinsStayWithinThePiecesTypicalFlux() {
        ClipPlan plan = plan(OVERLAP);
        double ours = 0;
        double hardCut = 0;
        for (long seed = 1; seed <= 4; seed++) {
            List<Spectrogram> clips = new ArrayList<>();
            LongformResult piece =
                    generator.generate(
                            request(seed),
                            plan,
                            finished(
                                    (clip, image, latents) ->
                                            clips.add(
                                                    SpectrogramImage.toSpectrogram(
                                                            image,
                                                            PARAMS,
                                                            SpectrogramImage.DEFAULT_MAX_VALUE))),
                            GenerationProgress.NONE,
                            manager);
            SeamReport report = SeamMetrics.seams(piece.spectrogram(), piece.joins(), JOIN_RADIUS);
            assertTrue(report.seamless(), "seed " + seed + ": " + report.worstRatio());
            ours += report.worstRatio();
            int pinned = piece.pinnedFrames();
            assertEquals(OVERLAP / 2, pinned);
            int[] pinBoundaries = new int[plan.clipCount() - 1];
            for (int i = 1; i < plan.clipCount(); i++) {
                pinBoundaries[i - 1] = plan.start(i) + pinned;
            }
            Spectrogram cut = hardCut(clips, plan, pinned);
            hardCut += SeamMetrics.seams(cut, pinBoundaries, JOIN_RADIUS).worstRatio();
        }
        assertTrue(ours < hardCut, ours + " vs hard cut " + hardCut);
    }

    @Test
    void restyledMusicKeepsItsLengthAndIsNotALoop() {
        LongformResult smooth =
                generator.restyle(
                        request(8),
                        music,
                        new Strength(0.5),
                        null,
                        OVERLAP,
                        GenerationProgress.NONE,
                        manager);
        assertEquals(music.getWidth(), smooth.image().getWidth());
        assertEquals(201, smooth.spectrogram().frames());
        assertEquals(4, smooth.plan().clipCount());
        double loop = SeamMetrics.autocorrelation(smooth.spectrogram(), smooth.plan().stride());
        assertTrue(loop < 0.5, "autocorrelation " + loop);
    }

    @Test
    void restyleAtStrengthZeroGivesTheInputBack() {
        BufferedImage out =
                generator
                        .restyle(
                                request(8),
                                music,
                                new Strength(0),
                                null,
                                OVERLAP,
                                GenerationProgress.NONE,
                                manager)
                        .image();
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < music.getWidth(); x++) {
                int a = music.getRGB(x, y) & 0xFF;
                int b = out.getRGB(x, y) & 0xFF;
                // The 8-bit round trip through magnitudes may move a pixel by one level.
                assertTrue(Math.abs(a - b) <= 1, "pixel " + x + "," + y + ": " + a + " vs " + b);
            }
        }
    }

    @Test
    void maskedRestyleKeepsEveryUnmaskedPixelAndChangesMaskedOnes() {
        // Regenerate 0.5-1.0 s (across a join) and, everywhere, 6-10 kHz.
        InpaintMask mask =
                InpaintMask.timeSpan(music.getWidth(), 64, 0.5, 1.0, PARAMS)
                        .or(InpaintMask.frequencyBand(music.getWidth(), 64, 6000, 10000, PARAMS));
        BufferedImage out =
                generator
                        .restyle(
                                request(3),
                                music,
                                new Strength(0.8),
                                mask,
                                OVERLAP,
                                GenerationProgress.NONE,
                                manager)
                        .image();
        int changed = 0;
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < music.getWidth(); x++) {
                int a = music.getRGB(x, y) & 0xFFFFFF;
                int b = out.getRGB(x, y) & 0xFFFFFF;
                if (mask.regenerates(y, x)) {
                    changed += a != b ? 1 : 0;
                } else {
                    assertEquals(a, b, "pixel " + x + "," + y);
                }
            }
        }
        assertTrue(changed > mask.count() / 2, changed + " of " + mask.count());
    }

    @Test
    void anInputShorterThanAWindowIsPaddedAndCutBack() {
        BufferedImage shortInput = music.getSubimage(0, 0, 40, 64);
        ClipPlan plan = generator.windowPlan(40, WIDTH, OVERLAP);
        assertEquals(48, plan.width());
        LongformResult r =
                generator.restyle(
                        request(1),
                        shortInput,
                        new Strength(0.5),
                        null,
                        OVERLAP,
                        GenerationProgress.NONE,
                        manager);
        assertEquals(40, r.image().getWidth());
    }

    @Test
    void aMaskOfAnotherSizeIsRefused() {
        InpaintMask mask = InpaintMask.keepAll(100, 64);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                generator.restyle(
                                        request(1),
                                        music,
                                        new Strength(0.5),
                                        mask,
                                        OVERLAP,
                                        GenerationProgress.NONE,
                                        manager));
        assertTrue(e.getMessage().contains("100x64"), e.getMessage());
    }

    @Test
    void anOverlapOffTheLatentGridIsRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        generator.generate(
                                request(1),
                                ClipPlan.forSeconds(1, WIDTH, 12, PARAMS),
                                GenerationProgress.NONE,
                                manager));
    }

    static float[][] columns(NDArray latents, long from, long to) {
        NDArray part = latents.get(new NDIndex(":, :, :, {}:{}", from, to));
        float[] flat = part.toFloatArray();
        part.close();
        return new float[][] {flat};
    }

    static int[] pixels(LongformResult r) {
        BufferedImage img = r.image();
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    /** The clips joined without a fade: each from {@code at} frames into its overlap on. */
    private static Spectrogram hardCut(List<Spectrogram> clips, ClipPlan plan, int at) {
        float[][] out = new float[PARAMS.numFrequencies()][plan.totalFrames()];
        for (int i = 0; i < clips.size(); i++) {
            int from = i == 0 ? 0 : at;
            int used = plan.usedFrames(i);
            for (int m = 0; m < out.length; m++) {
                System.arraycopy(
                        clips.get(i).data()[0][m], from, out[m], plan.start(i) + from, used - from);
            }
        }
        return new Spectrogram(new float[][][] {out}, PARAMS);
    }
}
