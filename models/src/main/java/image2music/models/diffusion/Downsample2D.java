package image2music.models.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import image2music.models.nn.Conv2d;
import image2music.models.nn.Resampling;
import image2music.models.nn.UnaryBlock;

/**
 * diffusers' {@code Downsample2D} with a conv: {@code conv} 3×3 stride 2. With padding 0 (the
 * VAE's) the input is first padded by one row and column at the bottom and right, as diffusers
 * does.
 */
final class Downsample2D extends UnaryBlock {

    private final Conv2d conv;
    private final boolean asymmetric;

    Downsample2D(long channels, int padding) {
        conv = child("conv", new Conv2d(channels, channels, 3, 2, padding, 0.02f));
        asymmetric = padding == 0;
    }

    @Override
    public NDArray run(ParameterStore ps, NDArray x, boolean training) {
        return call(conv, ps, asymmetric ? Resampling.padBottomRight(x) : x, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), (s.get(2) + 1) / 2, (s.get(3) + 1) / 2)};
    }
}
