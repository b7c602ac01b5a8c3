package image2music.pipeline;

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
    private final JsonObject sidecar;

    /**
     * Encodes the result whose WAV is {@code wav} ({@code X.wav}; the PNG and JSON go beside it).
     *
     * @throws IOException if the image cannot be encoded
     */
    public ResultFiles(
            Path wav,
            BufferedImage spectrogram,
            SpectrogramParams params,
            JsonObject sidecar,
            Audio audio)
            throws IOException {
        Path png = sibling(wav, ".png");
        this.wav = wav;
        this.seconds = audio.durationSeconds();
        this.sidecar = sidecar.deepCopy();
        files.put(
                png,
                SpectrogramImageIO.encode(
                        png, spectrogram, params, SpectrogramImage.DEFAULT_MAX_VALUE));
        files.put(sibling(wav, ".json"), json(sidecar));
        files.put(wav, WavWriter.toBytes(audio));
    }

    /** {@code o} as pretty-printed UTF-8 JSON with a final newline. */
    static byte[] json(JsonObject o) {
        String text =
                new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o);
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @throws InvalidRequestException unless {@code out} names a {@code .wav} file
     */
    static void checkWav(Path out) {
        if (out == null
                || !out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav")) {
            throw new InvalidRequestException("--out must end in .wav: " + out);
        }
    }

    /** {@code X<suffix>} beside {@code X.wav}. */
    static Path sibling(Path wav, String suffix) {
        String name = wav.getFileName().toString();
        return wav.resolveSibling(name.substring(0, name.length() - ".wav".length()) + suffix);
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
    public Path wav() {
        return wav;
    }

    /** What the JSON holds, a copy. */
    JsonObject sidecar() {
        return sidecar.deepCopy();
    }

    /** Duration of the audio in seconds. */
    public double seconds() {
        return seconds;
    }

    /** Writes the files, each atomically: the PNG and JSON first, the WAV last. */
    public void write() throws IOException {
        for (Map.Entry<Path, byte[]> f : files.entrySet()) {
            AtomicFiles.write(f.getKey(), f.getValue());
        }
    }
}
