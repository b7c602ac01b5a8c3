package image2music.models.train;

/**
 * Seeds derived from a run seed and positions (step, epoch, index), so that every random draw of a
 * training run can be replayed from where a checkpoint left off: libtorch's RNG state cannot be
 * saved through DJL, so each step reseeds it instead.
 */
public final class Seeds {

    private Seeds() {}

    /** A well-mixed 64-bit seed from {@code parts} (SplitMix64's finaliser over each part). */
    public static long mix(long... parts) {
        long h = 0x9E3779B97F4A7C15L;
        for (long p : parts) {
            h = finalise(h ^ finalise(p + 0x632BE59BD9B4E019L));
        }
        return h;
    }

    /** {@link #mix} folded to a non-negative int (libtorch's manual seed through DJL is an int). */
    public static int mixInt(long... parts) {
        return (int) (mix(parts) >>> 33);
    }

    private static long finalise(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
