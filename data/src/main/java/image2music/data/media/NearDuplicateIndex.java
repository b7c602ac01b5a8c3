package image2music.data.media;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Perceptual hashes of kept images, searched for near-duplicates by Hamming distance. A linear
 * scan: 10,000 images take ~10 µs per query, far below a download.
 */
public final class NearDuplicateIndex {

    /** A stored image: its label, manifest path and hash. */
    public record Entry(String label, String path, long phash) {}

    private final int maxDistance;
    private final List<Entry> entries = new ArrayList<>();

    /**
     * @param maxDistance the largest Hamming distance that counts as a near-duplicate
     */
    public NearDuplicateIndex(int maxDistance) {
        if (maxDistance < 0 || maxDistance > 64) {
            throw new IllegalArgumentException(
                    "near-duplicate distance must be in 0..64, got " + maxDistance);
        }
        this.maxDistance = maxDistance;
    }

    public synchronized void add(Entry e) {
        entries.add(e);
    }

    /** The closest entry within the distance in {@code label}, if any. */
    public synchronized Optional<Entry> nearestIn(String label, long phash) {
        return nearest(phash, e -> e.label().equals(label));
    }

    /** The closest entry within the distance in any other label than {@code label}, if any. */
    public synchronized Optional<Entry> nearestOutside(String label, long phash) {
        return nearest(phash, e -> !e.label().equals(label));
    }

    private Optional<Entry> nearest(long phash, java.util.function.Predicate<Entry> which) {
        Entry best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Entry e : entries) {
            int d = PerceptualHash.distance(phash, e.phash());
            if (d <= maxDistance && d < bestDistance && which.test(e)) {
                best = e;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    public synchronized int size() {
        return entries.size();
    }

    /** All entries, for tests and reports. */
    public synchronized List<Entry> entries() {
        return new ArrayList<>(entries);
    }
}
