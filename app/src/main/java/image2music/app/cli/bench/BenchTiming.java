package image2music.app.cli.bench;

import java.util.Arrays;

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

    /** The median; the mean of the middle two for an even count. */
    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
