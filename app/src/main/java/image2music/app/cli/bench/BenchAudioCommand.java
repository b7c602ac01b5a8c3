package image2music.app.cli.bench;

import com.google.gson.Gson;
import image2music.audio.Audio;
import image2music.audio.SyntheticMusic;
import image2music.audio.spectrogram.SpectralConvergence;
import image2music.audio.spectrogram.Spectrogram;
import image2music.audio.spectrogram.SpectrogramConverter;
import image2music.audio.spectrogram.SpectrogramImage;
import image2music.audio.spectrogram.SpectrogramImageIO;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.audio.spectrogram.StepTimes;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bench-audio}: in-process medians of audio to image and image to audio for a 5.12 s and a
 * 15 s synthetic clip, with round-trip quality, beside Riffusion's figures on 2 cores.
 */
@Command(
        name = "bench-audio",
        mixinStandardHelpOptions = true,
        description = "Benchmark the spectrogram engine against Riffusion.")
public final class BenchAudioCommand implements Callable<Integer> {

    /** Riffusion's converter measured on the project's 2-core machines (riffusion_reference). */
    record Peer(double seconds, double audioToImageMs, double imageToAudioMs, double melSc) {}

    static final List<Peer> RIFFUSION =
            List.of(new Peer(5.12, 78, 21_400, 0.146), new Peer(15.0, 221, 54_400, 0.396));

    @Spec CommandSpec spec;

    @Option(
            names = "--runs",
            paramLabel = "N",
            defaultValue = "5",
            description = "Timed runs per clip after 2 warm-up runs (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--json", description = "Print one JSON object per clip instead of a table.")
    boolean json;

    @Option(
            names = "--clips",
            paramLabel = "S",
            split = ",",
            defaultValue = "5.12,15",
            description = "Clip lengths in seconds (default: ${DEFAULT-VALUE}).")
    List<Double> clips;

    @Override
    public Integer call() {
        if (runs < 1) {
            throw new ParameterException(spec.commandLine(), "--runs must be >= 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        SpectrogramParams params = SpectrogramParams.defaults();
        long t0 = System.nanoTime();
        SpectrogramConverter converter = new SpectrogramConverter(params);
        double setupMs = (System.nanoTime() - t0) / 1e6;
        if (!json) {
            out.printf(
                    "bench-audio: %d cores, %d runs after 2 warm-ups, converter set-up %.0f ms"
                            + " (FFTW plans; fast once wisdom is cached)%n",
                    Runtime.getRuntime().availableProcessors(), runs, setupMs);
        }
        for (double seconds : clips) {
            if (!(seconds > 0) || seconds > 600) {
                throw new ParameterException(spec.commandLine(), "--clips must be in (0, 600]");
            }
        }
        for (double seconds : clips) {
            Peer peer =
                    RIFFUSION.stream()
                            .filter(x -> x.seconds() == seconds)
                            .findFirst()
                            .orElse(new Peer(seconds, Double.NaN, Double.NaN, Double.NaN));
            Map<String, Object> r = bench(converter, peer);
            if (json) {
                out.println(new Gson().toJson(r));
            } else {
                printTable(out, r, peer);
            }
            out.flush();
        }
        return 0;
    }

    private Map<String, Object> bench(SpectrogramConverter converter, Peer peer) {
        SpectrogramParams p = converter.params();
        Audio clip = SyntheticMusic.clip(peer.seconds(), p.sampleRate(), 1);
        int total = runs + 2;
        double[] spectrogramMs = new double[total];
        double[] pixelsMs = new double[total];
        double[] pngMs = new double[total];
        double[] inverseMs = new double[total];
        double[] forwardCpuMs = new double[total];
        double[] inverseCpuMs = new double[total];
        List<Map<String, Double>> steps = new ArrayList<>();
        double sc = Double.NaN;
        for (int i = 0; i < total; i++) {
            long c0 = processCpuNanos();
            long t0 = System.nanoTime();
            Spectrogram s = converter.spectrogramFromAudio(clip);
            long t1 = System.nanoTime();
            BufferedImage img = SpectrogramImage.fromSpectrogram(s);
            long t2 = System.nanoTime();
            forwardCpuMs[i] = (processCpuNanos() - c0) / 1e6;
            try {
                SpectrogramImageIO.encode(Path.of("bench.png"), img, p, s.max());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            long t3 = System.nanoTime();
            StepTimes times = new StepTimes();
            long c4 = processCpuNanos();
            long t4 = System.nanoTime();
            Spectrogram decoded = SpectrogramImage.toSpectrogram(img, p, s.max());
            times.lap("image to mel", t4);
            Audio back = converter.audioFromSpectrogram(decoded, 0, times);
            long t5 = System.nanoTime();
            inverseCpuMs[i] = (processCpuNanos() - c4) / 1e6;
            spectrogramMs[i] = (t1 - t0) / 1e6;
            pixelsMs[i] = (t2 - t1) / 1e6;
            pngMs[i] = (t3 - t2) / 1e6;
            inverseMs[i] = (t5 - t4) / 1e6;
            if (i >= 2) {
                steps.add(times.millis());
            }
            if (i == total - 1) {
                sc = SpectralConvergence.between(s, converter.spectrogramFromAudio(back));
            }
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("clip_seconds", peer.seconds());
        r.put("frames", p.framesFor(clip.frames()));
        r.put("cores", Runtime.getRuntime().availableProcessors());
        r.put("runs", runs);
        double a2i = median(sum(spectrogramMs, pixelsMs));
        r.put("audio_to_image_ms", a2i);
        r.put("stft_mel_ms", median(spectrogramMs));
        r.put("pixels_ms", median(pixelsMs));
        r.put("png_encode_ms", median(pngMs));
        r.put("image_to_audio_ms", median(inverseMs));
        r.put("audio_to_image_cpu_ms", median(forwardCpuMs));
        r.put("image_to_audio_cpu_ms", median(inverseCpuMs));
        Map<String, Double> stepMedians = new LinkedHashMap<>();
        for (String k : steps.get(0).keySet()) {
            stepMedians.put(
                    k, BenchTiming.median(steps.stream().mapToDouble(m -> m.get(k)).toArray()));
        }
        r.put("image_to_audio_steps_ms", stepMedians);
        r.put("griffin_lim_iters", p.griffinLimIters());
        r.put("mel_spectral_convergence", sc);
        if (!Double.isNaN(peer.melSc())) {
            r.put("riffusion_audio_to_image_ms", peer.audioToImageMs());
            r.put("riffusion_image_to_audio_ms", peer.imageToAudioMs());
            r.put("riffusion_mel_spectral_convergence", peer.melSc());
        }
        return r;
    }

    @SuppressWarnings("unchecked")
    private static void printTable(PrintWriter out, Map<String, Object> r, Peer peer) {
        double a2i = (double) r.get("audio_to_image_ms");
        double i2a = (double) r.get("image_to_audio_ms");
        double sc = (double) r.get("mel_spectral_convergence");
        out.printf(
                "%n%.2f s clip (%d frames)         ours        Riffusion   speed-up%n",
                peer.seconds(), (int) r.get("frames"));
        out.printf(
                "  audio -> image          %8.1f ms  %8.0f ms   %6.1fx   (STFT+mel %.1f ms,"
                        + " pixels %.1f ms)%n",
                a2i,
                peer.audioToImageMs(),
                peer.audioToImageMs() / a2i,
                (double) r.get("stft_mel_ms"),
                (double) r.get("pixels_ms"));
        out.printf(
                "  PNG encode + EXIF       %8.1f ms  (not in the figure above, as for Riffusion)%n",
                (double) r.get("png_encode_ms"));
        out.printf(
                "  image -> audio          %8.1f ms  %8.0f ms   %6.1fx%n",
                i2a, peer.imageToAudioMs(), peer.imageToAudioMs() / i2a);
        for (Map.Entry<String, Double> e :
                ((Map<String, Double>) r.get("image_to_audio_steps_ms")).entrySet()) {
            out.printf("      %-20s %8.1f ms%n", e.getKey(), e.getValue());
        }
        out.printf(
                "  round-trip mel SC       %8.4f     %8.3f      (lower is better)%n",
                sc, peer.melSc());
        out.printf(
                "  CPU time (all threads): audio -> image %.1f ms, image -> audio %.1f ms;"
                        + " / cores = the wall time an otherwise idle machine would show%n",
                (double) r.get("audio_to_image_cpu_ms"), (double) r.get("image_to_audio_cpu_ms"));
    }

    /** CPU time of the whole JVM, or 0 where the platform does not report it. */
    private static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }

    private static double[] sum(double[] a, double[] b) {
        double[] s = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            s[i] = a[i] + b[i];
        }
        return s;
    }

    /** Median of the timed runs: the first two are warm-ups and are dropped. */
    static double median(double[] all) {
        return BenchTiming.median(Arrays.copyOfRange(all, 2, all.length));
    }
}
