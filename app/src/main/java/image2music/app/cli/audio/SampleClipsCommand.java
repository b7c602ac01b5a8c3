package image2music.app.cli.audio;

import com.google.gson.JsonObject;
import image2music.audio.Audio;
import image2music.audio.io.AudioFiles;
import image2music.audio.io.WavWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Cuts random clips out of a long recording, as Riffusion's {@code sample_clips}: each clip starts
 * at a random whole millisecond and is written as a 16-bit WAV at the input's native rate.
 */
@Command(
        name = "sample-clips",
        header = "Cut random clips out of an audio file (16-bit WAV).",
        mixinStandardHelpOptions = true,
        description = "Cut N random clips of a given length out of an audio file (16-bit WAV).")
public final class SampleClipsCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--audio",
            required = true,
            paramLabel = "IN",
            description = "Input audio (WAV, mp3, m4a, opus, ogg, flac, ...).")
    Path audio;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Folder for clip_<index>_start_<ms>ms.wav files (created if missing).")
    Path out;

    @Option(
            names = "--count",
            paramLabel = "N",
            defaultValue = "1",
            description = "Number of clips (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(
            names = "--duration",
            paramLabel = "S",
            defaultValue = "5.12",
            description = "Clip length in seconds (default: ${DEFAULT-VALUE}).")
    double duration;

    @Option(
            names = "--seed",
            paramLabel = "N",
            description = "Random seed, for the same clips again (default: a fresh one, printed).")
    Long seed;

    @Option(names = "--mono", description = "Average the channels into one.")
    boolean mono;

    @Option(names = "--json", description = "Print one JSON object per clip.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (count < 1) {
            throw new ParameterException(spec.commandLine(), "--count must be at least 1");
        }
        if (!(duration > 0) || Double.isInfinite(duration)) {
            throw new ParameterException(
                    spec.commandLine(), "--duration must be a positive number of seconds");
        }
        Audio input = AudioFiles.read(audio);
        if (mono) {
            input = input.toMono();
        }
        int rate = input.sampleRate();
        int length = (int) Math.round(duration * rate);
        if (length > input.frames() || length == 0) {
            throw new IOException(
                    String.format(
                            Locale.ROOT,
                            "%s: %.3f s long, shorter than the %.3f s clips asked for",
                            audio,
                            input.durationSeconds(),
                            duration));
        }
        long usedSeed = seed != null ? seed : new SplittableRandom().nextLong();
        SplittableRandom random = new SplittableRandom(usedSeed);
        // Starts are whole milliseconds so the names say exactly where each clip begins.
        long lastStartMs = (long) Math.floor((input.frames() - length) * 1000.0 / rate);
        Files.createDirectories(out);
        PrintWriter stdout = spec.commandLine().getOut();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < count; i++) {
            long startMs = random.nextLong(lastStartMs + 1);
            int start =
                    (int) Math.min(Math.round(startMs * rate / 1000.0), input.frames() - length);
            String name = clipName(i, startMs);
            names.add(name);
            Path file = out.resolve(name);
            WavWriter.write(file, input.slice(start, length));
            if (json) {
                JsonObject o = new JsonObject();
                o.addProperty("file", file.toString());
                o.addProperty("start_s", startMs / 1000.0);
                o.addProperty("duration_s", length / (double) rate);
                o.addProperty("sample_rate", rate);
                o.addProperty("channels", input.channelCount());
                o.addProperty("seed", usedSeed);
                stdout.println(o);
            }
        }
        if (!json) {
            stdout.printf(
                    Locale.ROOT,
                    "wrote %d clips of %.3f s from %s to %s (seed %d)%n",
                    names.size(),
                    length / (double) rate,
                    audio,
                    out,
                    usedSeed);
        }
        stdout.flush();
        return 0;
    }

    /** {@code clip_<index, 3 digits>_start_<ms>ms.wav}: sorts by index, says where it starts. */
    static String clipName(int index, long startMs) {
        return String.format(Locale.ROOT, "clip_%03d_start_%dms.wav", index, startMs);
    }
}
