package image2music.models.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import image2music.models.nn.Conv2d;
import image2music.models.nn.Resampling;
import image2music.models.nn.UnaryBlock;

/** diffusers' {@code Upsample2D} with a conv: nearest ×2, then {@code conv} (3×3, padding 1). */
final class Upsample2D extends UnaryBlock {

    private final Conv2d conv;

    Upsample2D(long channels) {
        conv = child("conv", new Conv2d(channels, channels, 3, 1, 1, 0.02f));
    }

    @Override
    public NDArray run(ParameterStore ps, NDArray x, boolean training) {
        return call(conv, ps, Resampling.nearest2x(x), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), 2 * s.get(2), 2 * s.get(3))};
    }
}
