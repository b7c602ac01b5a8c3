package image2music.audio.spectrogram;

/**
 * Table-based cosine and sine for turning millions of phases into unit phasors: a 65,536-entry
 * table with linear interpolation is accurate to about 5e-9, far below float precision of the
 * spectra it feeds, and several times faster than {@link Math#cos}.
 */
final class FastTrig {

    private static final int SIZE = 1 << 16;
    private static final double SCALE = SIZE / (2 * Math.PI);
    private static final float[] COS = new float[SIZE + 1];

    static {
        for (int i = 0; i <= SIZE; i++) {
            COS[i] = (float) Math.cos(i / SCALE);
        }
    }

    private FastTrig() {}

    static float cos(double x) {
        double u = x * SCALE;
        double f = Math.floor(u);
        int i = ((int) (long) f) & (SIZE - 1);
        float frac = (float) (u - f);
        return COS[i] + frac * (COS[i + 1] - COS[i]);
    }

    static float sin(double x) {
        return cos(x - Math.PI / 2);
    }
}
