package image2music.audio.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.audio.Audio;
import image2music.audio.SyntheticMusic;
import image2music.audio.spectrogram.SpectralConvergence;
import image2music.audio.spectrogram.Spectrogram;
import image2music.audio.spectrogram.SpectrogramConverter;
import image2music.audio.spectrogram.SpectrogramExif;
import image2music.audio.spectrogram.SpectrogramImage;
import image2music.audio.spectrogram.SpectrogramImageIO;
import image2music.audio.spectrogram.SpectrogramParams;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Tiles at fewer mel bins than Riffusion's 512 (what a small generator trains on) must read back
 * through the same path as {@code image-to-audio}: EXIF params, pixels to magnitudes, inverse mel,
 * PGHI and Griffin-Lim at the reduced rate, all at the image's own bin count.
 */
class SpectrogramTileRendererTest {

    /** One default 512 px tile: 511 hops, 5.11 s. */
    private static final int TILE_SAMPLES = 511 * 441;

    /**
     * Measured mel SC (32 Griffin-Lim iterations, seed 0) for this clip, each at its own bin count:
     * 0.036 at 64 bins, 0.075 at 128, 0.028 at 512 (the Riffusion chords fixture gave 0.036, 0.084,
     * 0.033). 128 is not better than 64 because each mel bin then constrains fewer FFT bins, so
     * there is more fine structure to match; the bounds leave about 1.6x margin for FFT and JIT
     * rounding.
     */
    @ParameterizedTest
    @CsvSource({"64, 0.06", "128, 0.12", "512, 0.05"})
    void tileAtFewerMelBinsRoundTripsThroughItsExif(int mels, double bound, @TempDir Path tmp)
            throws Exception {
        SpectrogramParams sp =
                DatasetParams.defaults()
                        .withMelBins(mels)
                        .spectrogramParams(SpectrogramParams.defaults());
        Audio clip = SyntheticMusic.clip(TILE_SAMPLES / 44100.0, 44100, 7);
        Path png = tmp.resolve("tile.png");

        new SpectrogramTileRenderer(sp).render(clip, png);

        SpectrogramImageIO.Loaded loaded = SpectrogramImageIO.read(png);
        assertEquals(mels, loaded.image().getHeight());
        assertEquals(512, loaded.image().getWidth());
        assertEquals(
                mels,
                SpectrogramImageIO.readTags(png)
                        .get(SpectrogramExif.Tag.NUM_FREQUENCIES)
                        .intValue());
        // Everything else is Riffusion's format unchanged.
        assertEquals(SpectrogramParams.defaults().withNumFrequencies(mels), loaded.params());

        // As image-to-audio decodes it: params from the EXIF only.
        SpectrogramParams params = loaded.params().withGriffinLimIters(32);
        Spectrogram s =
                SpectrogramImage.toSpectrogram(loaded.image(), params, loaded.maxValueOrDefault());
        SpectrogramConverter converter = new SpectrogramConverter(params);
        Audio back = converter.audioFromSpectrogram(s, 0);

        assertEquals(TILE_SAMPLES, back.frames());
        assertEquals(44100, back.sampleRate());
        double sc = SpectralConvergence.ofAudio(converter, clip, back);
        assertTrue(sc < bound, mels + " bins: mel SC " + sc);
    }

    @ParameterizedTest
    @CsvSource({"15", "1025", "0", "-64"})
    void melBinsOutsideTheRangeAreRefused(int mels) {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> DatasetParams.defaults().withMelBins(mels));
        assertTrue(e.getMessage().contains("16..1024"), e.getMessage());
    }
}
