package image2music.models.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import image2music.models.nn.Tensors;
import java.util.List;

/**
 * HF's {@code ViTImageProcessor} on RGB images: resize with PIL's bilinear filter, rescale by
 * 1/255, normalise per channel, channels first. Arithmetic follows transformers: rescaling in
 * float64 then cast to float32, normalising in float32.
 */
public final class ViTImageProcessor {

    private final ImageProcessorConfig config;

    /** A processor with {@code config}. */
    public ViTImageProcessor(ImageProcessorConfig config) {
        this.config = config;
    }

    /** The configuration. */
    public ImageProcessorConfig config() {
        return config;
    }

    /** One image as CHW float values. */
    public float[] pixelValues(RgbImage image) {
        RgbImage img =
                config.doResize()
                        ? PilResize.bilinear(image, config.width(), config.height())
                        : image;
        int w = img.width();
        int h = img.height();
        float[] mean = config.mean();
        float[] std = config.std();
        float[] out = new float[3 * w * h];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = img.get(x, y, c);
                    if (config.doRescale()) {
                        v = (float) (img.get(x, y, c) * config.rescaleFactor());
                    }
                    if (config.doNormalize()) {
                        v = (v - mean[c]) / std[c];
                    }
                    out[(c * h + y) * w + x] = v;
                }
            }
        }
        return out;
    }

    /** A batch [B, 3, H, W]; every image must come out the same size. */
    public NDArray preprocess(List<RgbImage> images, NDManager manager) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("No images to preprocess");
        }
        int h = config.doResize() ? config.height() : images.get(0).height();
        int w = config.doResize() ? config.width() : images.get(0).width();
        float[] all = new float[images.size() * 3 * h * w];
        for (int i = 0; i < images.size(); i++) {
            RgbImage img = images.get(i);
            if (!config.doResize() && (img.width() != w || img.height() != h)) {
                throw new IllegalArgumentException(
                        "Without resizing all images must be "
                                + w
                                + "x"
                                + h
                                + ", image "
                                + i
                                + " is "
                                + img.width()
                                + "x"
                                + img.height());
            }
            float[] one = pixelValues(img);
            System.arraycopy(one, 0, all, i * one.length, one.length);
        }
        return Tensors.of(manager, all, new Shape(images.size(), 3, h, w));
    }
}
