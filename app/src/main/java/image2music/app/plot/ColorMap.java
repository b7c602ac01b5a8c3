package image2music.app.plot;

/** Perceptually uniform colour maps, interpolated between matplotlib's anchor colours. */
public enum ColorMap {
    /** matplotlib's magma: black through purple and orange to pale yellow. */
    MAGMA(
            new int[] {
                0x000004, 0x1c1044, 0x4f127b, 0x812581, 0xb5367a, 0xe55064, 0xfb8761, 0xfec287,
                0xfcfdbf
            }),
    /** matplotlib's viridis: dark blue through green to yellow. */
    VIRIDIS(
            new int[] {
                0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c, 0x28ae80, 0x5ec962, 0xaddc30,
                0xfde725
            });

    private final int[] anchors;

    ColorMap(int[] anchors) {
        this.anchors = anchors;
    }

    /** The RGB colour at {@code v} in [0, 1] (clamped). */
    public int rgb(double v) {
        double x = Math.max(0, Math.min(1, v)) * (anchors.length - 1);
        int i = Math.min(anchors.length - 2, (int) x);
        double f = x - i;
        int a = anchors[i];
        int b = anchors[i + 1];
        int r = mix((a >> 16) & 0xFF, (b >> 16) & 0xFF, f);
        int g = mix((a >> 8) & 0xFF, (b >> 8) & 0xFF, f);
        int bl = mix(a & 0xFF, b & 0xFF, f);
        return (r << 16) | (g << 8) | bl;
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round(a + (b - a) * f);
    }
}
