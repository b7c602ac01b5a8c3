package image2music.audio.spectrogram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.audio.Audio;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our converter against Riffusion's own outputs for the same clip. */
class RiffusionGoldenTest {

    static final String WAV = Fixtures.RIFFUSION + "chords_5s12.wav";
    static final String PNG = Fixtures.RIFFUSION + "chords_5s12.png";
    static final String MEL = Fixtures.RIFFUSION + "chords_5s12.mel_f32.npy";
    static final double RIFFUSION_MAX_VALUE = 14294572.0;

    /** Share of pixels allowed to differ (by at most 1: float rounding at truncation edges). */
    static final double MAX_DIFFERING_PIXEL_SHARE = 0.001;

    static final double MEL_TOLERANCE_OF_MAX = 1e-4;

    /**
     * Riffusion reaches 0.146 on this clip and the target is 0.08; ours reaches 0.029 (PGHI, 32
     * fast Griffin-Lim iterations at the reduced phase-recovery rate), so the gate sits just above
     * it to catch a regression rather than only a miss of the target.
     */
    static final double MAX_ROUND_TRIP_MEL_SC = 0.04;

    static SpectrogramConverter converter;
    static Audio clip;
    static Spectrogram ours;

    @BeforeAll
    static void setUp() throws Exception {
        converter = new SpectrogramConverter(SpectrogramParams.defaults());
        clip = Fixtures.wav(WAV);
        ours = converter.spectrogramFromAudio(clip);
    }

    @Test
    void imageMatchesRiffusionPixelForPixel() throws Exception {
        BufferedImage expected = Fixtures.image(PNG);
        BufferedImage actual = SpectrogramImage.fromSpectrogram(ours);
        assertEquals(expected.getWidth(), actual.getWidth(), "width");
        assertEquals(expected.getHeight(), actual.getHeight(), "height");
        int differing = 0;
        int maxDiff = 0;
        for (int y = 0; y < expected.getHeight(); y++) {
            for (int x = 0; x < expected.getWidth(); x++) {
                int e = expected.getRGB(x, y);
                int a = actual.getRGB(x, y);
                int d = 0;
                for (int shift = 0; shift <= 16; shift += 8) {
                    d = Math.max(d, Math.abs(((e >> shift) & 0xFF) - ((a >> shift) & 0xFF)));
                }
                if (d > 0) {
                    differing++;
                }
                maxDiff = Math.max(maxDiff, d);
            }
        }
        double share = differing / (double) (expected.getWidth() * expected.getHeight());
        assertTrue(share <= MAX_DIFFERING_PIXEL_SHARE, "differing pixel share " + share);
        assertTrue(maxDiff <= 1, "max pixel difference " + maxDiff);
    }

    @Test
    void floatMelMatchesRiffusion() {
        Fixtures.Npy npy = Fixtures.npy(MEL);
        assertArrayEquals(new int[] {1, 512, 513}, npy.shape());
        float max = 0;
        for (float v : npy.data()) {
            max = Math.max(max, v);
        }
        double worst = 0;
        for (int i = 0; i < 512; i++) {
            for (int t = 0; t < 513; t++) {
                worst = Math.max(worst, Math.abs(npy.data()[i * 513 + t] - ours.data()[0][i][t]));
            }
        }
        assertTrue(
                worst <= MEL_TOLERANCE_OF_MAX * max,
                "max abs mel error " + worst + " = " + worst / max + " of max " + max);
        assertEquals(RIFFUSION_MAX_VALUE, ours.max(), RIFFUSION_MAX_VALUE * MEL_TOLERANCE_OF_MAX);
    }

    @Test
    void imageToAudioBeatsRiffusionAndIsDeterministic() throws Exception {
        SpectrogramImageIO.Loaded loaded = SpectrogramImageIO.read(fixtureFile(PNG));
        Spectrogram decoded =
                SpectrogramImage.toSpectrogram(
                        loaded.image(), loaded.params(), loaded.maxValueOrDefault());
        Audio out = converter.audioFromSpectrogram(decoded, 7);
        assertEquals(512 * 441, out.frames(), "output length is (width - 1) * hop");
        double sc = SpectralConvergence.between(ours, converter.spectrogramFromAudio(out));
        assertTrue(sc <= MAX_ROUND_TRIP_MEL_SC, "round-trip mel SC " + sc);
        assertTrue(out.peak() < 1.0f, "peak " + out.peak());
        assertTrue(out.peak() <= Math.pow(10, -0.1 / 20) + 1e-6, "peak above -0.1 dBFS");

        Audio again = converter.audioFromSpectrogram(decoded, 7);
        assertArrayEquals(out.channel(0), again.channel(0), "same seed, same samples");
    }

    @Test
    void ourConvergenceMetricReproducesRiffusionsFigure() throws Exception {
        // riffusion_reference.json: quality.mel_512.spectral_convergence of its reconstruction
        Audio theirs = Fixtures.wav(Fixtures.RIFFUSION + "chords_5s12.reconstructed.wav");
        double sc = SpectralConvergence.ofAudio(converter, clip, theirs);
        assertEquals(0.14569, sc, 0.002);
    }

    @Test
    void riffusionExifParsesToDefaultsAndItsMax() throws Exception {
        SpectrogramImageIO.Loaded loaded = SpectrogramImageIO.read(fixtureFile(PNG));
        assertEquals(SpectrogramParams.defaults(), loaded.params());
        assertEquals(RIFFUSION_MAX_VALUE, loaded.maxValue().orElseThrow(), 0.0);
    }

    @Test
    void ourEXifBlockIsByteIdenticalToRiffusions() {
        byte[] theirs = SpectrogramImageIO.exifBlock(Fixtures.bytes(PNG));
        byte[] mine = SpectrogramExif.encode(SpectrogramParams.defaults(), RIFFUSION_MAX_VALUE);
        assertArrayEquals(theirs, mine);
        Map<SpectrogramExif.Tag, Number> tags = SpectrogramExif.decode(theirs);
        assertEquals(10, tags.size());
    }

    @TempDir static Path tmp;

    private static Path fixtureFile(String name) throws Exception {
        Path p = tmp.resolve(Path.of(name).getFileName());
        if (!Files.exists(p)) {
            Files.write(p, Fixtures.bytes(name));
        }
        return p;
    }
}
