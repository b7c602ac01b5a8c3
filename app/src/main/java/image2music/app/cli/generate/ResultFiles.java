package image2music.app.cli.generate;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import image2music.audio.Audio;
import image2music.audio.io.WavWriter;
import image2music.audio.spectrogram.SpectrogramImage;
import image2music.audio.spectrogram.SpectrogramImageIO;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.core.io.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The files of one generated result, design.md's convention: {@code X.wav}, {@code X.png} (the
 * spectrogram with its EXIF parameters) and {@code X.json} (everything needed to reproduce it).
 * Encoded in memory first so a command can fail before anything is written; each file is then
 * written atomically.
 */
public final class ResultFiles {

    private final Map<Path, byte[]> files = new LinkedHashMap<>();
    private final Path wav;
    private final double seconds;

    /**
     * Encodes the result whose WAV is {@code wav} ({@code X.wav}; the PNG and JSON go beside it).
     *
     * @throws IOException if the image cannot be encoded
     */
    ResultFiles(
            Path wav,
            BufferedImage spectrogram,
            SpectrogramParams params,
            JsonObject sidecar,
            Audio audio)
            throws IOException {
        String name = wav.getFileName().toString();
        String stem = name.substring(0, name.length() - ".wav".length());
        Path png = wav.resolveSibling(stem + ".png");
        this.wav = wav;
        this.seconds = audio.durationSeconds();
        files.put(
                png,
                SpectrogramImageIO.encode(
                        png, spectrogram, params, SpectrogramImage.DEFAULT_MAX_VALUE));
        files.put(wav.resolveSibling(stem + ".json"), json(sidecar));
        files.put(wav, WavWriter.toBytes(audio));
    }

    /** {@code o} as pretty-printed UTF-8 JSON with a final newline. */
    static byte[] json(JsonObject o) {
        String text =
                new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o);
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** {@code out} must name a {@code .wav} file. */
    static boolean isWav(Path out) {
        return out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav");
    }

    /** {@code X.wav} for a single result, else {@code X-000.wav}, {@code X-001.wav}, …. */
    static Path numbered(Path out, int batch, int index) {
        Path base = out.toAbsolutePath();
        String name = base.getFileName().toString();
        String stem = name.substring(0, name.length() - ".wav".length());
        return base.resolveSibling(
                batch == 1
                        ? stem + ".wav"
                        : String.format(Locale.ROOT, "%s-%03d.wav", stem, index));
    }

    /** The WAV's path. */
    Path wav() {
        return wav;
    }

    /** Duration of the audio in seconds. */
    double seconds() {
        return seconds;
    }

    /** Writes the files, each atomically: the PNG and JSON first, the WAV last. */
    void write() throws IOException {
        for (Map.Entry<Path, byte[]> f : files.entrySet()) {
            AtomicFiles.write(f.getKey(), f.getValue());
        }
    }
}
