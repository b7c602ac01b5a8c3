package image2music.app.web;

import com.google.gson.JsonObject;
import image2music.audio.io.WavWriter;
import image2music.audio.spectrogram.SpectrogramImage;
import image2music.audio.spectrogram.SpectrogramImageIO;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.core.io.AtomicFiles;
import image2music.core.json.Json;
import image2music.pipeline.live.PieceResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A finished job's files in its folder: the stretch ended there ({@code audio.wav}), the stretch
 * for back-to-back playback ({@code stream.wav}), the spectrogram with its EXIF parameters and the
 * result's description. All are encoded before the first is written, each written atomically.
 */
final class JobFiles {

    /** The files, as the API names them. */
    static final List<String> NAMES =
            List.of("audio.wav", "stream.wav", "spectrogram.png", "result.json");

    private JobFiles() {}

    static void write(Path dir, PieceResult r, SpectrogramParams params, JsonObject result)
            throws IOException {
        Path png = dir.resolve("spectrogram.png");
        byte[] image =
                SpectrogramImageIO.encode(
                        png, r.image(), params, SpectrogramImage.DEFAULT_MAX_VALUE);
        byte[] audio = WavWriter.toBytes(r.audio());
        byte[] stream = WavWriter.toBytes(r.stream());
        byte[] json = Json.pretty(result);
        AtomicFiles.write(png, image);
        AtomicFiles.write(dir.resolve("audio.wav"), audio);
        AtomicFiles.write(dir.resolve("stream.wav"), stream);
        AtomicFiles.write(dir.resolve("result.json"), json);
    }

    /** The content type of {@code name}, one of {@link #NAMES}. */
    static String contentType(String name) {
        if (name.endsWith(".wav")) {
            return "audio/wav";
        }
        return name.endsWith(".png") ? "image/png" : "application/json";
    }
}
