package image2music.data.media;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/** What a collection run did, per label: kept, duplicates, rejections by reason, failures. */
public final class CollectSummary {

    /** Counts for one label. */
    public static final class Counts {
        private int alreadyHad;
        private int kept;
        private int duplicates;
        private int nearDuplicates;
        private int crossLabel;
        private int failed;
        private int skipped;
        private final Map<String, Integer> rejected = new TreeMap<>();

        /** Files kept by earlier runs. */
        public int alreadyHad() {
            return alreadyHad;
        }

        /** Files kept by this run. */
        public int kept() {
            return kept;
        }

        /** Exact duplicates (same stored bytes) dropped. */
        public int duplicates() {
            return duplicates;
        }

        /** Perceptual near-duplicates dropped. */
        public int nearDuplicates() {
            return nearDuplicates;
        }

        /** Kept files that match one in another label (reported, not dropped). */
        public int crossLabel() {
            return crossLabel;
        }

        /** Downloads or reads that failed (network, I/O). */
        public int failed() {
            return failed;
        }

        /** Sources skipped because an earlier run already handled them. */
        public int skipped() {
            return skipped;
        }

        /** Refused files by reason. */
        public Map<String, Integer> rejected() {
            return Map.copyOf(rejected);
        }

        public int rejectedTotal() {
            return rejected.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private final Map<String, Counts> byLabel = new LinkedHashMap<>();

    private Counts c(String label) {
        return byLabel.computeIfAbsent(label, l -> new Counts());
    }

    public synchronized void alreadyHad(String label, int n) {
        c(label).alreadyHad = n;
    }

    public synchronized void kept(String label) {
        c(label).kept++;
    }

    public synchronized void duplicate(String label) {
        c(label).duplicates++;
    }

    public synchronized void nearDuplicate(String label) {
        c(label).nearDuplicates++;
    }

    public synchronized void crossLabel(String label) {
        c(label).crossLabel++;
    }

    public synchronized void failed(String label) {
        c(label).failed++;
    }

    public synchronized void skipped(String label) {
        c(label).skipped++;
    }

    public synchronized void rejected(String label, String reason) {
        c(label).rejected.merge(reason, 1, Integer::sum);
    }

    /** The counts of {@code label} (zeros when it was never touched). */
    public synchronized Counts label(String label) {
        return byLabel.getOrDefault(label, new Counts());
    }

    public synchronized List<String> labels() {
        return new ArrayList<>(byLabel.keySet());
    }

    /** A count summed over labels. */
    public synchronized int total(ToIntFunction<Counts> f) {
        return byLabel.values().stream().mapToInt(f).sum();
    }

    /** Rejections over all labels by reason. */
    public synchronized Map<String, Integer> rejectedTotals() {
        Map<String, Integer> m = new TreeMap<>();
        for (Counts c : byLabel.values()) {
            c.rejected.forEach((k, v) -> m.merge(k, v, Integer::sum));
        }
        return m;
    }

    /** One human-readable line per label plus a total line. */
    public synchronized List<String> lines() {
        List<String> out = new ArrayList<>();
        byLabel.forEach((label, c) -> out.add(line("'" + label + "'", c)));
        Counts all = new Counts();
        for (Counts c : byLabel.values()) {
            all.alreadyHad += c.alreadyHad;
            all.kept += c.kept;
            all.duplicates += c.duplicates;
            all.nearDuplicates += c.nearDuplicates;
            all.crossLabel += c.crossLabel;
            all.failed += c.failed;
            all.skipped += c.skipped;
        }
        all.rejected.putAll(rejectedTotals());
        out.add(line("total", all));
        return out;
    }

    private static String line(String name, Counts c) {
        StringBuilder b =
                new StringBuilder()
                        .append(name)
                        .append(": kept ")
                        .append(c.kept)
                        .append(" new (")
                        .append(c.alreadyHad + c.kept)
                        .append(" in all), duplicates ")
                        .append(c.duplicates)
                        .append(", near-duplicates ")
                        .append(c.nearDuplicates)
                        .append(", rejected ")
                        .append(c.rejectedTotal());
        if (!c.rejected.isEmpty()) {
            b.append(' ').append(c.rejected);
        }
        b.append(", failed ").append(c.failed);
        if (c.crossLabel > 0) {
            b.append(", also in another label ").append(c.crossLabel);
        }
        if (c.skipped > 0) {
            b.append(", skipped (seen before) ").append(c.skipped);
        }
        return b.toString();
    }

    /** The whole summary as one JSON object (for {@code --json}). */
    public synchronized JsonObject toJson() {
        JsonObject root = new JsonObject();
        JsonObject labels = new JsonObject();
        byLabel.forEach(
                (label, c) -> {
                    JsonObject o = new JsonObject();
                    o.addProperty("already_had", c.alreadyHad);
                    o.addProperty("kept", c.kept);
                    o.addProperty("duplicates", c.duplicates);
                    o.addProperty("near_duplicates", c.nearDuplicates);
                    o.addProperty("cross_label", c.crossLabel);
                    o.addProperty("failed", c.failed);
                    o.addProperty("skipped", c.skipped);
                    JsonObject r = new JsonObject();
                    c.rejected.forEach(r::addProperty);
                    o.add("rejected", r);
                    labels.add(label, o);
                });
        root.add("labels", labels);
        root.addProperty("kept", total(Counts::kept));
        root.addProperty("duplicates", total(Counts::duplicates));
        root.addProperty("near_duplicates", total(Counts::nearDuplicates));
        root.addProperty("rejected", total(Counts::rejectedTotal));
        root.addProperty("failed", total(Counts::failed));
        return root;
    }
}
