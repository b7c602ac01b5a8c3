package image2music.app.cli.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import image2music.models.train.AdamW;
import image2music.models.train.TrainingStep;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;

/** Timing shared by the {@code bench-*} verbs: medians of wall and whole-process CPU time. */
public final class BenchTiming {

    /** Median wall time and median process CPU time (all threads) of the timed runs. */
    record Timing(double wallS, double cpuS) {}

    private BenchTiming() {}

    /** Runs {@code r} {@code warmup} times untimed, then {@code runs} times timed. */
    static Timing measure(int warmup, int runs, Runnable r) {
        for (int i = 0; i < warmup; i++) {
            r.run();
        }
        double[] wall = new double[runs];
        double[] cpu = new double[runs];
        for (int i = 0; i < runs; i++) {
            double c0 = ProcessCpu.seconds();
            long start = System.nanoTime();
            r.run();
            wall[i] = (System.nanoTime() - start) / 1e9;
            cpu[i] = ProcessCpu.seconds() - c0;
        }
        return new Timing(median(wall), median(cpu));
    }

    /**
     * Times {@link TrainingStep#run} as the trainers run it (each step in its own sub-manager of
     * {@code m}, freed after it), with a fresh AdamW; {@code maxGradNorm} 0 skips clipping, as the
     * PyTorch peer script does.
     */
    static Timing trainStep(
            int warmup,
            int runs,
            NDManager m,
            Map<String, Parameter> params,
            double maxGradNorm,
            TrainingStep.Loss loss) {
        return measure(warmup, runs, trainStep(m, params, maxGradNorm, loss));
    }

    /**
     * One training step as {@link #trainStep(int, int, NDManager, Map, double, TrainingStep.Loss)}
     * times it.
     */
    static Runnable trainStep(
            NDManager m,
            Map<String, Parameter> params,
            double maxGradNorm,
            TrainingStep.Loss loss) {
        AdamW adamw = new AdamW(AdamW.Settings.defaults(), m);
        return () -> {
            try (NDManager step = m.newSubManager()) {
                TrainingStep.run(params, adamw, 1e-4f, maxGradNorm, step, loss);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /** The median; the mean of the middle two for an even count. */
    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
