package image2music.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Resampling helpers for NCHW tensors that DJL 0.33 lacks as ops. */
public final class Resampling {

    private Resampling() {}

    /**
     * Nearest-neighbour ×2 upsampling ({@code F.interpolate(x, scale_factor=2, mode="nearest")}):
     * each pixel becomes a 2×2 block: libtorch's kernel through {@link FusedOps} when available,
     * else a broadcast [N, C, H, 1, W, 1] view made contiguous.
     */
    public static NDArray nearest2x(NDArray x) {
        Shape s = x.getShape();
        if (s.dimension() != 4) {
            throw new IllegalArgumentException("nearest2x expects NCHW, got " + s);
        }
        if (FusedOps.available()) {
            return FusedOps.upsampleNearest2x(x);
        }
        long n = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        return x.reshape(n, c, h, 1, w, 1)
                .broadcast(new Shape(n, c, h, 2, w, 2))
                .reshape(n, c, 2 * h, 2 * w);
    }

    /**
     * Zero-pads one row at the bottom and one column at the right ({@code F.pad(x, (0,1,0,1))}).
     */
    public static NDArray padBottomRight(NDArray x) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        NDArray right = x.getManager().zeros(new Shape(n, c, h, 1), x.getDataType());
        NDArray wide = x.concat(right, 3);
        NDArray bottom = x.getManager().zeros(new Shape(n, c, 1, w + 1), x.getDataType());
        return wide.concat(bottom, 2);
    }
}
