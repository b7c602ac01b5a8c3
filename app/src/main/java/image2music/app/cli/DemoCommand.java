package image2music.app.cli;

import com.google.gson.GsonBuilder;
import image2music.audio.Audio;
import image2music.audio.SyntheticMusic;
import image2music.audio.io.WavWriter;
import image2music.audio.spectrogram.SpectralConvergence;
import image2music.audio.spectrogram.Spectrogram;
import image2music.audio.spectrogram.SpectrogramConverter;
import image2music.audio.spectrogram.SpectrogramExif;
import image2music.audio.spectrogram.SpectrogramImage;
import image2music.audio.spectrogram.SpectrogramImageIO;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.audio.spectrogram.StepTimes;
import image2music.core.io.AtomicFiles;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: what runs without any model: a spectrogram round trip on a generated clip (audio to
 * Riffusion image to audio), with its files, quality and timings. The picture-to-music pipeline
 * ({@code image-to-music}) needs a trained tagger and generator, which the project cannot ship.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description =
                "Spectrogram round-trip demo, no model needed (picture to music: image-to-music).")
public final class DemoCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = "demo-output",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(
            names = "--seconds",
            paramLabel = "S",
            defaultValue = "5.12",
            description = "Clip length (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Clip seed.")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (!(seconds > 0) || seconds > 600) {
            throw new ParameterException(spec.commandLine(), "--seconds must be in (0, 600]");
        }
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println(
                "image2music demo: spectrogram round trip (audio -> Riffusion image -> audio) on a"
                        + " generated clip.");
        stdout.println(
                "Picture to music is `image-to-music --tagger DIR --generator DIR --image FILE`"
                        + " (a trained tagger and a generator such as riffusion-model-v1); this"
                        + " demo shows its spectrogram engine, which needs no model.");
        stdout.flush();
        SpectrogramParams params = SpectrogramParams.defaults();
        StepTimes times = new StepTimes();
        long t = System.nanoTime();
        SpectrogramConverter converter = new SpectrogramConverter(params);
        t = times.lap("converter set-up (FFTW plans)", t);
        Audio clip = SyntheticMusic.clip(seconds, params.sampleRate(), seed);
        Path inputWav = out.resolve("demo.wav");
        Path png = out.resolve("demo.png");
        Path json = out.resolve("demo.json");
        Path rebuiltWav = out.resolve("demo.reconstructed.wav");
        WavWriter.write(inputWav, clip);
        t = System.nanoTime();
        Spectrogram s = converter.spectrogramFromAudio(clip);
        SpectrogramImageIO.write(png, SpectrogramImage.fromSpectrogram(s), params, s.max());
        t = times.lap("audio -> image (incl. PNG)", t);
        SpectrogramImageIO.Loaded loaded = SpectrogramImageIO.read(png);
        Spectrogram decoded =
                SpectrogramImage.toSpectrogram(
                        loaded.image(), loaded.params(), loaded.maxValueOrDefault());
        StepTimes inverse = new StepTimes();
        Audio rebuilt = converter.audioFromSpectrogram(decoded, 0, inverse);
        times.lap("image -> audio (incl. PNG read)", t);
        WavWriter.write(rebuiltWav, rebuilt);
        double sc = SpectralConvergence.between(s, converter.spectrogramFromAudio(rebuilt));

        Map<String, Object> report = new LinkedHashMap<>();
        report.put(
                "what", "spectrogram round-trip demo: generated clip -> Riffusion image -> audio");
        report.put("seed", seed);
        report.put("seconds", clip.durationSeconds());
        report.put(
                "params",
                SpectrogramExif.values(params, s.max()).entrySet().stream()
                        .collect(
                                LinkedHashMap::new,
                                (m, e) -> m.put(e.getKey().name().toLowerCase(), e.getValue()),
                                Map::putAll));
        report.put("griffin_lim_iters", params.griffinLimIters());
        report.put("phase_seed", 0);
        report.put("mel_spectral_convergence", sc);
        report.put("riffusion_mel_spectral_convergence_5s12", 0.146);
        report.put("timings_ms", times.millis());
        report.put("image_to_audio_steps_ms", inverse.millis());
        report.put(
                "files",
                Map.of(
                        "input", inputWav.getFileName().toString(),
                        "image", png.getFileName().toString(),
                        "reconstructed", rebuiltWav.getFileName().toString()));
        String text = new GsonBuilder().setPrettyPrinting().create().toJson(report) + "\n";
        AtomicFiles.write(json, text.getBytes(StandardCharsets.UTF_8));

        stdout.printf("  input clip      %s (%.2f s)%n", inputWav, clip.durationSeconds());
        stdout.printf(
                "  spectrogram     %s (%d x %d px)%n", png, s.frames(), params.numFrequencies());
        stdout.printf("  reconstruction  %s%n", rebuiltWav);
        stdout.printf("  report          %s%n", json);
        times.millis().forEach((k, v) -> stdout.printf("  %-32s %8.1f ms%n", k, v));
        stdout.printf(
                "  round-trip mel spectral convergence %.4f (Riffusion: 0.146 on its 5.12 s"
                        + " reference clip; lower is better)%n",
                sc);
        return 0;
    }
}
