package image2music.models.vit.data;

import image2music.models.vit.PilResize;
import image2music.models.vit.RgbImage;
import java.util.SplittableRandom;

/**
 * torchvision's {@code RandomResizedCrop}: a crop of a random share of the area ({@code minScale}
 * .. {@code maxScale}) and aspect ratio (log-uniform in {@code minRatio} .. {@code maxRatio}),
 * resized to {@code size} x {@code size}; after ten tries that do not fit, a centre crop of the
 * clamped ratio.
 */
public record RandomResizedCrop(
        int size, double minScale, double maxScale, double minRatio, double maxRatio)
        implements ImageTransform {

    private static final int ATTEMPTS = 10;

    public RandomResizedCrop {
        if (size <= 0
                || !(minScale > 0 && minScale <= maxScale && maxScale <= 1)
                || !(minRatio > 0 && minRatio <= maxRatio)) {
            throw new IllegalArgumentException(
                    "Bad RandomResizedCrop: size "
                            + size
                            + ", scale "
                            + minScale
                            + ".."
                            + maxScale
                            + ", ratio "
                            + minRatio
                            + ".."
                            + maxRatio);
        }
    }

    /** torchvision's defaults for the ratio (3/4 .. 4/3) with the given scale range. */
    public static RandomResizedCrop of(int size, double minScale, double maxScale) {
        return new RandomResizedCrop(size, minScale, maxScale, 3.0 / 4, 4.0 / 3);
    }

    @Override
    public RgbImage apply(RgbImage image, SplittableRandom random) {
        int w = image.width();
        int h = image.height();
        double area = (double) w * h;
        double logMin = Math.log(minRatio);
        double logMax = Math.log(maxRatio);
        for (int i = 0; i < ATTEMPTS; i++) {
            double target = area * (minScale + random.nextDouble() * (maxScale - minScale));
            double ratio = Math.exp(logMin + random.nextDouble() * (logMax - logMin));
            int cw = (int) Math.round(Math.sqrt(target * ratio));
            int ch = (int) Math.round(Math.sqrt(target / ratio));
            if (cw > 0 && ch > 0 && cw <= w && ch <= h) {
                int x = random.nextInt(w - cw + 1);
                int y = random.nextInt(h - ch + 1);
                return PilResize.bilinear(crop(image, x, y, cw, ch), size, size);
            }
        }
        double inRatio = (double) w / h;
        int cw = w;
        int ch = h;
        if (inRatio < minRatio) {
            ch = (int) Math.round(w / minRatio);
        } else if (inRatio > maxRatio) {
            cw = (int) Math.round(h * maxRatio);
        }
        return PilResize.bilinear(crop(image, (w - cw) / 2, (h - ch) / 2, cw, ch), size, size);
    }

    static RgbImage crop(RgbImage image, int x0, int y0, int cw, int ch) {
        byte[] src = image.pixels();
        byte[] dst = new byte[3 * cw * ch];
        for (int y = 0; y < ch; y++) {
            System.arraycopy(src, 3 * ((y0 + y) * image.width() + x0), dst, 3 * y * cw, 3 * cw);
        }
        return new RgbImage(cw, ch, dst);
    }
}
