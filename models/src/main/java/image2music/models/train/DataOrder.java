package image2music.models.train;

import java.util.SplittableRandom;

/** Seeded data orders: each epoch's shuffle follows from (run seed, epoch) alone. */
public final class DataOrder {

    private DataOrder() {}

    /** A Fisher-Yates shuffle of 0..n-1 seeded by (seed, epoch). */
    public static int[] permutation(long seed, long epoch, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom r = new SplittableRandom(Seeds.mix(seed, epoch, 0x5EED));
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
