package image2music.app.cli.bench;

import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Where a run's time goes, by libtorch operator: libtorch's profiler (through DJL) records every
 * operator call with its start and duration; an operator's self time is its duration less that of
 * the operators it called, so the shares add up to the whole run and a convolution's time is not
 * counted again in the wrappers around it.
 */
final class OpProfile {

    /** One operator's self time and its share of all operators' self time. */
    record Share(String op, double selfMs, double fraction) {}

    private OpProfile() {}

    /** Runs {@code run} under the profiler; the operators by self time, largest first. */
    static List<Share> of(Runnable run) throws IOException {
        Path file = Files.createTempFile("image2music-profile", ".json");
        try {
            JniUtils.startProfile(false, false, false);
            try {
                run.run();
            } finally {
                JniUtils.stopProfile(file.toString());
            }
            JsonArray events =
                    JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
                            .getAsJsonArray();
            return shares(events);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Self times from trace events ({@code name}, {@code ts} and {@code dur} in µs, {@code tid}):
     * on each thread, an event that starts inside another is that one's callee.
     */
    static List<Share> shares(JsonArray events) {
        Map<Long, List<JsonObject>> byThread = new HashMap<>();
        for (JsonElement e : events) {
            JsonObject o = e.getAsJsonObject();
            byThread.computeIfAbsent(o.get("tid").getAsLong(), k -> new ArrayList<>()).add(o);
        }
        Map<String, Double> self = new HashMap<>();
        for (List<JsonObject> list : byThread.values()) {
            // Outer calls first where two start together.
            list.sort(
                    Comparator.comparingDouble((JsonObject o) -> o.get("ts").getAsDouble())
                            .thenComparing(
                                    o -> o.get("dur").getAsDouble(), Comparator.reverseOrder()));
            Deque<double[]> open = new ArrayDeque<>(); // {end, index into names}
            List<String> names = new ArrayList<>();
            for (JsonObject o : list) {
                double ts = o.get("ts").getAsDouble();
                double dur = o.get("dur").getAsDouble();
                while (!open.isEmpty() && open.peek()[0] <= ts) {
                    open.pop();
                }
                if (!open.isEmpty()) {
                    String caller = names.get((int) open.peek()[1]);
                    self.merge(caller, -dur, Double::sum);
                }
                String name = o.get("name").getAsString();
                self.merge(name, dur, Double::sum);
                names.add(name);
                open.push(new double[] {ts + dur, names.size() - 1});
            }
        }
        double total = self.values().stream().mapToDouble(Double::doubleValue).sum();
        List<Share> out = new ArrayList<>();
        self.forEach((op, us) -> out.add(new Share(op, us / 1000, total > 0 ? us / total : 0)));
        out.sort(Comparator.comparingDouble(Share::selfMs).reversed());
        return out;
    }

    /** "aten::mkldnn_convolution 41%, aten::bmm 18%, … other 9%": the first {@code top}. */
    static String format(List<Share> shares, int top) {
        StringJoiner j = new StringJoiner(", ");
        double rest = 1;
        for (int i = 0; i < Math.min(top, shares.size()); i++) {
            Share s = shares.get(i);
            j.add(String.format(Locale.ROOT, "%s %.0f%%", s.op(), 100 * s.fraction()));
            rest -= s.fraction();
        }
        if (shares.size() > top) {
            j.add(String.format(Locale.ROOT, "other %.0f%%", 100 * Math.max(0, rest)));
        }
        return j.toString();
    }
}
