package image2music.audio.spectrogram;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Wall-clock time per named processing step, for benchmarks and progress reports. */
public final class StepTimes {

    private final Map<String, Long> nanos = new LinkedHashMap<>();

    /** Adds {@code elapsedNanos} to {@code step}. */
    public synchronized void add(String step, long elapsedNanos) {
        nanos.merge(step, elapsedNanos, Long::sum);
    }

    /** Adds the time since {@code startNanos} to {@code step} and returns the current time. */
    public long lap(String step, long startNanos) {
        long now = System.nanoTime();
        add(step, now - startNanos);
        return now;
    }

    /** Milliseconds per step, in the order steps first appeared. */
    public synchronized Map<String, Double> millis() {
        Map<String, Double> out = new LinkedHashMap<>();
        nanos.forEach((k, v) -> out.put(k, v / 1e6));
        return Collections.unmodifiableMap(out);
    }
}
