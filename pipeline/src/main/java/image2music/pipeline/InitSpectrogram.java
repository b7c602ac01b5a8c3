package image2music.pipeline;

import image2music.audio.Audio;
import image2music.audio.io.AudioFiles;
import image2music.audio.spectrogram.Spectrogram;
import image2music.audio.spectrogram.SpectrogramConverter;
import image2music.audio.spectrogram.SpectrogramImage;
import image2music.audio.spectrogram.SpectrogramImageIO;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.core.manifest.MediaLayout;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The seed spectrogram a generation verb starts its clips from (img2img): a spectrogram image as
 * given, or the spectrogram image of the first clip's worth of an audio file.
 *
 * @param image RGB, {@code params.numFrequencies()} px tall
 * @param file where it came from
 * @param sha256 of that file's bytes, so a sidecar pins down exactly which input a result used
 */
public record InitSpectrogram(BufferedImage image, Path file, String sha256) {

    /**
     * A spectrogram image file, which must be {@code params.numFrequencies()} px tall and, when
     * {@code width} is not null, {@code width} px wide.
     *
     * @throws IOException naming the file if it cannot be read or decoded
     * @throws IllegalArgumentException naming the file if its size is wrong
     */
    static InitSpectrogram fromImage(Path file, Integer width, SpectrogramParams params)
            throws IOException {
        BufferedImage img = SpectrogramImageIO.read(file).image();
        int height = params.numFrequencies();
        if (img.getHeight() != height || (width != null && img.getWidth() != width)) {
            throw new IllegalArgumentException(
                    String.format(
                            Locale.ROOT,
                            "%s: init image is %dx%d px, the clips are %sx%d px",
                            file,
                            img.getWidth(),
                            img.getHeight(),
                            width == null ? "?" : width.toString(),
                            height));
        }
        return new InitSpectrogram(img, file, MediaLayout.sha256Hex(file));
    }

    /**
     * The spectrogram image of the first {@code (width - 1) · hop} samples of an audio file (mixed
     * to mono, resampled to the params' rate): exactly one {@code width}-px clip.
     *
     * @throws IOException naming the file if it cannot be decoded
     * @throws IllegalArgumentException naming the file if it is shorter than one clip
     */
    static InitSpectrogram fromAudio(Path file, int width, SpectrogramParams params)
            throws IOException {
        Audio audio = AudioFiles.readMono(file, params.sampleRate());
        int samples = (width - 1) * params.hopLength();
        if (audio.frames() < samples) {
            throw new IllegalArgumentException(
                    String.format(
                            Locale.ROOT,
                            "%s: %.2f s of audio, a %d-px clip needs %.2f s",
                            file,
                            audio.durationSeconds(),
                            width,
                            samples / (double) params.sampleRate()));
        }
        Spectrogram s =
                new SpectrogramConverter(params).spectrogramFromAudio(audio.slice(0, samples));
        return new InitSpectrogram(
                SpectrogramImage.fromSpectrogram(s), file, MediaLayout.sha256Hex(file));
    }
}
