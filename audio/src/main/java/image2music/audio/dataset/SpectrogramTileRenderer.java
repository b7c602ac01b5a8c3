package image2music.audio.dataset;

import image2music.audio.Audio;
import image2music.audio.spectrogram.Spectrogram;
import image2music.audio.spectrogram.SpectrogramConverter;
import image2music.audio.spectrogram.SpectrogramImage;
import image2music.audio.spectrogram.SpectrogramImageIO;
import image2music.audio.spectrogram.SpectrogramParams;
import java.io.IOException;
import java.nio.file.Path;

/** Renders a tile as a Riffusion spectrogram image with its own maximum and EXIF parameters. */
public final class SpectrogramTileRenderer implements TileRenderer {

    private final SpectrogramParams params;
    private final SpectrogramConverter converter;

    public SpectrogramTileRenderer(SpectrogramParams params) {
        this.params = params;
        this.converter = new SpectrogramConverter(params);
    }

    @Override
    public void render(Audio tile, Path out) throws IOException {
        Spectrogram s = converter.spectrogramFromAudio(tile);
        SpectrogramImageIO.write(out, SpectrogramImage.fromSpectrogram(s), params, s.max());
    }
}
